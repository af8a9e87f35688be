// The trained digits demo: `resnetc eval` reproduces PyTorch's held-out accuracy prediction by
// prediction, the runtime's logits match PyTorch's, and a dataset that does not fit is an error.
import Foundation
import ResNetCompiler
import ResNetRuntime
import Testing

@Suite("resnetc eval and the digits demo")
struct EvalTests {
    private static let weights = "Graphs/digits_resnet.safetensors"
    private static let images = "Graphs/digits_test_images.npy"
    private static let targets = "Graphs/digits_test_labels.npy"

    @Test("the runtime's logits are PyTorch's on all 360 held-out digits (relative 1e-4)")
    func logitsMatchPyTorch() throws {
        let reference = try NPY.read(path: Repository.path("Tests/Fixtures/digits_torch_logits.npy"))
        let images = try NPY.read(path: Repository.path(Self.images))
        let compilation = try Compiler.compile(path: Repository.path("Graphs/digits_resnet.net"),
                                               options: CompileOptions(batch: 360, weightsPath: Repository.path(Self.weights)))
        let logits = try Session(model: try compilation.makeModel()).run([images])[0]
        #expect(maxAbsDifference(logits, reference) <= 1e-4 * maxAbs(reference))
    }

    @Test("eval prints PyTorch's accuracy and writes its predictions, image by image")
    func evalReproducesPyTorch() throws {
        let dir = try CommandLineTool.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try CommandLineTool.run(["eval", "Graphs/digits_resnet.net", "--weights", Self.weights,
                                              "--dataset", Self.images, "--targets", Self.targets,
                                              "--predictions", dir + "/p.npy", "--threads", "1"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "digits_resnet: top-1 98.61% (355/360), top-5 100.00% (360/360)\n")
        let predictions = try NPY.read(path: dir + "/p.npy").data.map(Int.init)
        let torch = try NPY.read(path: Repository.path("Tests/Fixtures/digits_torch_logits.npy"))
        let torchPredictions = (0..<360).map { row in
            let logits = torch.data[row * 10..<(row + 1) * 10]
            return logits.indices.max { logits[$0] < logits[$1] }! - row * 10
        }
        #expect(predictions == torchPredictions)
        let json = try CommandLineTool.run(["eval", "Graphs/digits_resnet.net", "--weights", Self.weights,
                                            "--dataset", Self.images, "--targets", Self.targets, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["top1_correct"] as? Int == 355)
        #expect(object["samples"] as? Int == 360)
    }

    @Test("a dataset that does not fit the targets or the model is a clear error")
    func mismatches() throws {
        let wrongTargets = try CommandLineTool.run(["eval", "Graphs/digits_resnet.net", "--dataset", Self.images,
                                                    "--targets", Self.images])
        #expect(wrongTargets.status == 1)
        #expect(wrongTargets.stderr == "Graphs/digits_test_images.npy: expected 360 class indices (shape 360), found shape 360x1x8x8\n")
        let wrongModel = try CommandLineTool.run(["eval", "Graphs/mnist_resnet.net", "--dataset", Self.images,
                                                  "--targets", Self.targets])
        #expect(wrongModel.status == 1)
        #expect(wrongModel.stderr == "dataset samples have shape 1x8x8, the model's input 'image' takes 1x28x28\n")
        let missing = try CommandLineTool.run(["eval", "Graphs/digits_resnet.net", "--dataset", Self.images])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("resnetc eval: error: eval needs --dataset IMAGES.npy and --targets CLASSES.npy"))
    }
}
