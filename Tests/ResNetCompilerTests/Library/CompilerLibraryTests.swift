// The compiler as a library: `.net` source text (and a weights file) to a runnable model in
// memory with one call, no CLI and no files written; and the typed error a bad source gives.
import Foundation
import ResNetCompiler
import ResNetRuntime
import Testing

@Suite("Compiler as a library")
struct CompilerLibraryTests {
    @Test("source text + weights → Model in one call, matching PyTorch")
    func oneCallMatchesPyTorch() throws {
        let source = try Repository.graphSource("mnist_resnet.net")
        let options = CompileOptions(weightsPath: Repository.path("Tests/Fixtures/mnist_resnet.safetensors"))
        let model = try Compiler.compile(source: source, fileName: "mnist_resnet.net", options: options).makeModel()
        #expect(model.inputs == [TensorDescriptor(name: "image", shape: [1, 1, 28, 28])])
        #expect(model.outputs == [TensorDescriptor(name: "logits", shape: [1, 10])])
        let input = try NPY.read(path: Repository.path("Tests/Fixtures/mnist_resnet_input.npy"))
        let reference = try NPY.read(path: Repository.path("Tests/Fixtures/mnist_resnet_output_fp64.npy"))
        let output = try Session(model: model).run([input])[0]
        let error = maxAbsDifference(output, reference)
        #expect(error <= 1e-4 * maxAbs(reference), "max error \(error), max |ref| \(maxAbs(reference))")
    }

    @Test("seeded weights when no weights file is given; same bits as the .rnc image")
    func seededInMemoryModel() throws {
        let compilation = try Compiler.compile(source: LibraryNets.tinyResNet, fileName: "tiny_resnet.net")
        let inMemory = try compilation.makeModel()
        #expect(inMemory.plan.name == "tiny_resnet")
        #expect(inMemory.outputs == [TensorDescriptor(name: "logits", shape: [1, 10])])
        let fromImage = try Model(bytes: try compilation.encoded())
        let input = WeightInitializer.makeInput(shape: [1, 3, 16, 16], seed: 1)
        let expected = try Session(model: inMemory).run([input])
        let finite = expected[0].data.allSatisfy { $0.isFinite }
        #expect(finite)
        #expect(bits(try Session(model: fromImage).run([input])) == bits(expected))
    }

    @Test("a bad source gives a typed error with file, line and column")
    func sourceError() {
        let source = "network broken\ninput image: 1x3x8x8\noutput y = c: conv(image, 4, kernel: 9)\n"
        do {
            _ = try Compiler.compile(source: source, fileName: "broken.net")
            Issue.record("compiling an impossible conv succeeded")
        } catch {
            guard case .dsl = error else {
                Issue.record("expected CompileError.dsl, got \(error)")
                return
            }
            #expect(error.description.hasPrefix(
                "broken.net:3:15: error: conv 'c': kernel 9 (dilation 1, padding 0) does not fit input 1x3x8x8\n"),
                "\(error)")
        }
    }
}
