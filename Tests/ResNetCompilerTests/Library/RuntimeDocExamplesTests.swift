// The code in Docs/Runtime.md, run as written (on a small compiled net instead of ResNet-50),
// so the documentation cannot drift from the API.
import Foundation
import ResNetCompiler
import ResNetRuntime
import Testing

@Suite("Docs/Runtime.md examples")
struct RuntimeDocExamplesTests {
    @Test("loading, both run APIs and catching a typed error")
    func loadingAndRunning() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("doc-\(UUID().uuidString).rnc").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let compilation = try Compiler.compile(source: LibraryNets.tinyResNet, fileName: "tiny_resnet.net")
        try RNCFile.write(plan: compilation.lowered.plan, weights: compilation.lowered.weights, to: path)

        // ## Loading
        let model = try Model(contentsOf: path)
        #expect("\(model.inputs)" == "[image 1x3x16x16]")
        #expect("\(model.outputs)" == "[logits 1x10]")

        // ## Running
        let session = try Session(model: model, threads: 2)
        let input = WeightInitializer.makeInput(shape: model.inputs[0].shape)
        let logits = try session.run([input])[0]
        #expect(logits.shape == [1, 10])

        // The zero-copy entry.
        let frame = input.data
        var probabilities = [Float](repeating: 0, count: model.outputs[0].count)
        try frame.withUnsafeBufferPointer { pixels throws(RuntimeError) in
            try probabilities.withUnsafeMutableBufferPointer { out throws(RuntimeError) in
                try session.run(input: pixels, output: out)
            }
        }
        #expect(probabilities.map(\.bitPattern) == logits.data.map(\.bitPattern))

        // ## Errors
        var bytes = try compilation.encoded()
        bytes[8] = 2  // the format version field
        var message = ""
        do {
            _ = try Model(bytes: bytes)
        } catch RuntimeError.unsupportedVersion(_, let found, _) {
            message = "recompile the model: it is format version \(found)"
        } catch {
            message = "\(error)"
        }
        #expect(message == "recompile the model: it is format version 2")
    }

    @Test("the compiler as a library, one call")
    func compilerOneCall() throws {
        let netText = LibraryNets.tinyResNet
        let input = WeightInitializer.makeInput(shape: [1, 3, 16, 16])
        let model = try Compiler.compile(source: netText, fileName: "my_resnet.net",
                                         options: CompileOptions(seed: 3)).makeModel()
        let logits = try Session(model: model).run([input])[0]
        #expect(logits.shape == [1, 10])
        let other = try Compiler.compile(source: netText, fileName: "my_resnet.net").makeModel()
        #expect(try Session(model: other).run([input])[0] != logits, "the seed reaches the weights")
    }
}
