// Full-size networks (224x224, seeded weights with non-trivial BN statistics): the optimized,
// lowered, serialized model must compute what the reference interpreter computes on the
// unoptimized graph. PyTorch fixtures are at reduced size; this covers the real shapes.
import Foundation
import ResNetCompiler
import ResNetRuntime
import Testing

@Suite("Full-size networks vs the interpreter")
struct FullSizeTests {
    @Test("ResNet-18 and ResNet-50 at 224x224, batch 1", arguments: ["resnet18.net", "resnet50.net"])
    func fullSize(file: String) throws {
        let compilation = try Compiler.compile(path: Repository.path("Graphs/" + file), options: CompileOptions(seed: 11))
        let input = WeightInitializer.makeInput(shape: [1, 3, 224, 224], seed: 5)
        let expected = try ReferenceInterpreter.run(compilation.sourceGraph, inputs: [input])[0]
        let output = try Session(model: try Model(bytes: try compilation.encoded()), threads: 2).run([input])[0]
        #expect(output.shape == [1, 1000])
        let error = maxAbsDifference(output, expected)
        #expect(error <= 1e-4 * maxAbs(expected), "\(file): max error \(error), max |ref| \(maxAbs(expected))")
    }
}
