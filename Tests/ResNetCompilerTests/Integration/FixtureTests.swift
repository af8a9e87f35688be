// End-to-end against PyTorch: each fixture's `.net` is compiled with the fixture's weights, run
// by the runtime and by the reference interpreter, and compared with PyTorch's outputs.
import Foundation
import ResNetCompiler
import ResNetRuntime
import Testing

@Suite("PyTorch fixtures")
struct FixtureTests {
    /// The bar: max |error| ≤ 1e-4 · max |reference|, against PyTorch's float64 run.
    static let runtimeTolerance = 1e-4
    /// The interpreter accumulates in Double from the same float32 weights, so it lands far
    /// closer to the float64 reference; what it reaches is ~1e-7, this bound leaves margin.
    static let interpreterTolerance = 1e-6

    private func compile(_ fixture: Fixture, passes: [Pass] = PassPipeline.standard) throws -> Compilation {
        let options = CompileOptions(batch: fixture.batch, defines: fixture.defines,
                                     weightsPath: fixture.file(".safetensors"), passes: passes)
        return try Compiler.compile(path: Repository.path(fixture.net), options: options)
    }

    @Test("the manifest lists the five fixtures")
    func manifest() {
        #expect(Fixture.all.map(\.name).sorted() ==
                ["cifar_resnet20", "mnist_resnet", "resblock6_small", "resnet18_small", "resnet50_small"])
    }

    @Test("runtime output matches PyTorch (optimized and -O0)", arguments: Fixture.all)
    func runtimeMatchesPyTorch(fixture: Fixture) throws {
        let input = try NPY.read(path: fixture.file("_input.npy"))
        let reference = try NPY.read(path: fixture.file("_output_fp64.npy"))
        #expect(input.shape == fixture.input_shape)
        for passes in [PassPipeline.standard, []] {
            let compilation = try compile(fixture, passes: passes)
            #expect(compilation.sourceGraph.parameterCount == fixture.params)
            let session = try Session(model: try compilation.makeModel())
            let output = try session.run([input])[0]
            #expect(output.shape == fixture.output_shape)
            let error = maxAbsDifference(output, reference)
            #expect(error <= Self.runtimeTolerance * maxAbs(reference),
                    "\(fixture.name) passes=\(passes.count): max error \(error), max |ref| \(maxAbs(reference))")
        }
    }

    @Test("interpreter output matches PyTorch before and after the passes", arguments: Fixture.all)
    func interpreterMatchesPyTorch(fixture: Fixture) throws {
        let input = try NPY.read(path: fixture.file("_input.npy"))
        let reference = try NPY.read(path: fixture.file("_output_fp64.npy"))
        let compilation = try compile(fixture)
        for graph in [compilation.sourceGraph, compilation.graph] {
            let output = try ReferenceInterpreter.run(graph, inputs: [input])[0]
            let error = maxAbsDifference(output, reference)
            #expect(error <= Self.interpreterTolerance * maxAbs(reference),
                    "\(fixture.name): max error \(error), max |ref| \(maxAbs(reference))")
        }
    }

    @Test("a .rnc written to disk and memory-mapped gives the same bits", arguments: Fixture.all.prefix(2))
    func fileRoundTrip(fixture: Fixture) throws {
        let input = try NPY.read(path: fixture.file("_input.npy"))
        let compilation = try compile(fixture)
        let path = NSTemporaryDirectory() + "fixture-\(fixture.name)-\(UUID().uuidString).rnc"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try RNCFile.write(plan: compilation.lowered.plan, weights: compilation.lowered.weights, to: path)
        let fromFile = try Session(model: try Model(contentsOf: path)).run([input])[0]
        let inMemory = try Session(model: try compilation.makeModel()).run([input])[0]
        #expect(fromFile == inMemory)
    }
}
