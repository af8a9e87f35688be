// `resnetc import`: an ONNX model → a readable .net file plus its weights as safetensors.
import Foundation
import ResNetCompiler
import ResNetRuntime

enum ImportCommand {
    static func run(_ argv: [String]) throws {
        if argv.contains("--help") || argv.contains("-h") { throw HelpRequested(text: Help.importModel) }
        let args = try Arguments(argv, options: ["-o", "--output", "--weights"], flags: [])
        let path = try args.single("an .onnx file to import")
        guard path.hasSuffix(".onnx") else { throw UsageError(description: "'\(path)' is not an ONNX model (.onnx)") }
        let output = args.string("-o") ?? args.string("--output")
            ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + ".net"
        guard output.hasSuffix(".net") else { throw UsageError(description: "the output '\(output)' must end in .net") }
        let weights = args.string("--weights") ?? String(output.dropLast(".net".count)) + ".safetensors"
        let imported = try ONNXImporter.importModel(path: path)
        do { try Data(imported.source.utf8).write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
            throw CompileError.io(path: output, reason: "cannot write: \(error.localizedDescription)")
        }
        try SafetensorsWriter.write(imported.weights, metadata: ["source": path, "format": "pt"], to: weights)
        let layers = imported.graph.nodes.filter { !$0.params.isEmpty }.count
        print("imported \(path) (opset \(imported.opset)) → \(output), \(weights): \(imported.graph.nodes.count - 1) nodes, "
            + "\(layers) layers with weights, \(formatCount(imported.graph.parameterCount)) parameters")
        print("run it with: resnetc run \(output) --weights \(weights)")
    }
}
