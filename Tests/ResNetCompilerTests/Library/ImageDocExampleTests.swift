// The image snippet of Docs/Runtime.md ("Images"), run as written on the digits demo, so the
// documented API cannot drift.
import Foundation
import ResNetCompiler
import ResNetRuntime
import Testing

@Suite("Docs/Runtime.md image example")
struct ImageDocExampleTests {
    @Test("a compiled model reads a PNG through its own recipe and names the class")
    func classifyPNG() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("digits-\(UUID().uuidString).rnc").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let compilation = try Compiler.compile(path: Repository.path("Graphs/digits_resnet.net"),
                                               options: CompileOptions(weightsPath: Repository.path("Graphs/digits_resnet.safetensors")))
        try RNCFile.write(plan: compilation.lowered.plan, weights: compilation.lowered.weights, to: path)
        let photo = Repository.path("Graphs/digits_images/digit_02.png")

        // ## Images
        let model = try Model(contentsOf: path)
        let image = try ImageReader.read(path: photo)
        let input = try image.tensor(for: model.inputs[0].shape, inputName: model.inputs[0].name,
                                     preprocessing: model.plan.preprocess, path: photo)
        let logits = try Session(model: model).run([input])[0]
        let best = logits.data.indices.max { logits.data[$0] < logits.data[$1] }!
        #expect((model.plan.labels?[best] ?? "class \(best)") == "three")
    }
}
