// The built `resnetc import` then `resnetc run` on the written .net: ONNX Runtime's numbers.
import Foundation
import ResNetRuntime
import Testing

@Suite("resnetc import")
struct ImportCommandTests {
    @Test("import writes a .net and weights that run reproduces ONNX Runtime's output with")
    func importThenRun() throws {
        let dir = try CommandLineTool.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let net = dir + "/cifar.net", weights = dir + "/cifar.safetensors", output = dir + "/y.npy"
        let model = onnxFixture("cifar_small_op11.onnx")
        let imported = try CommandLineTool.run(["import", model, "-o", net])
        #expect(imported.status == 0, "\(imported)")
        #expect(imported.stdout.hasPrefix("imported \(model) (opset 11) → \(net), \(weights): "), "\(imported)")
        let run = try CommandLineTool.run(["run", net, "--weights", weights, "--input", onnxFixture("cifar_small_op11_input.npy"),
                                           "--output", output])
        #expect(run.status == 0, "\(run)")
        let reference = try NPY.read(path: onnxFixture("cifar_small_op11_output.npy"))
        #expect(maxAbsDifference(try NPY.read(path: output), reference) <= 1e-4 * maxAbs(reference))
    }

    @Test("unsupported operators: exit 1 and the one-line list")
    func unsupported() throws {
        let model = onnxFixture("unsupported_ops.onnx")
        let dir = try CommandLineTool.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try CommandLineTool.run(["import", model, "-o", dir + "/u.net"])
        #expect(result.status == 1)
        #expect(result.stderr == "\(model): error: unsupported ONNX operators (opset 17): node '/Tanh' (Tanh), node '/Resize' (Resize)\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/u.net"))
        let help = try CommandLineTool.run(["import", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("USAGE: resnetc import MODEL.onnx [-o NET.net] [--weights W.safetensors]"), "\(help)")
        #expect(try CommandLineTool.run(["--help"]).stdout.contains("import    Import an ONNX model"))
        let usage = try CommandLineTool.run(["import", "model.net"])
        #expect(usage.status == 2)
        #expect(usage.stderr.hasPrefix("resnetc import: error: 'model.net' is not an ONNX model (.onnx)"))
    }
}
