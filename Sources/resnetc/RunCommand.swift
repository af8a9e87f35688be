// `resnetc run`: one forward pass on a given or synthetic input; prints the top classes.
import Foundation
import ResNetCompiler
import ResNetRuntime

enum RunCommand {
    static func run(_ argv: [String]) throws {
        if argv.contains("--help") || argv.contains("-h") { throw HelpRequested(text: Help.run) }
        let args = try Arguments(argv, options: ["--input", "--output", "--top", "--threads"] + SourceOptions.names
                                 + ProfileOptions.names, flags: SourceOptions.flags + ProfileOptions.flags)
        let path = try args.single("a model (.rnc or .net) to run")
        let top = try args.int("--top", in: 0...1_000_000) ?? 5
        let threads = try args.int("--threads", in: 1...1024) ?? defaultThreadCount()
        let loaded = try ModelSource.load(path, args: args)
        let model = loaded.model
        guard let inputInfo = model.plan.inputs.first, model.plan.inputs.count == 1 else {
            throw UsageError(description: "'\(path)' has \(model.plan.inputs.count) inputs; run takes models with one")
        }
        let input: Tensor
        if let inputPath = args.string("--input") {
            input = try NPY.read(path: inputPath)
        } else {
            input = WeightInitializer.makeInput(shape: inputInfo.tensor.shape, seed: 1)
        }
        let profiling = ProfileOptions(args)
        let session = try Session(model: model, threads: threads, profiling: profiling.mode)
        let outputs = try session.run([input])
        if let outputPath = args.string("--output") { try NPY.write(outputs[0], to: outputPath) }
        for (binding, output) in zip(model.plan.outputs, outputs) {
            print(describe(output, name: binding.name, top: top))
        }
        try profiling.finish(session)
    }

    /// Rows of a 2-D output as top-K classes; other shapes as a summary.
    static func describe(_ t: Tensor, name: String, top: Int) -> String {
        var lines = ["output '\(name)' \(t.shape.shapeDescription)"]
        guard t.shape.count == 2, top > 0 else {
            let finite = t.data.filter(\.isFinite)
            lines.append(String(format: "  min %.6g  max %.6g  mean %.6g", finite.min() ?? .nan, finite.max() ?? .nan,
                                finite.isEmpty ? .nan : finite.reduce(0, +) / Float(finite.count)))
            return lines.joined(separator: "\n")
        }
        let classes = t.shape[1]
        for row in 0..<t.shape[0] {
            let logits = Array(t.data[row * classes..<(row + 1) * classes])
            let maxLogit = logits.max() ?? 0
            let exps = logits.map { Foundation.exp(Double($0 - maxLogit)) }
            let total = exps.reduce(0, +)
            let ranked = logits.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
            if t.shape[0] > 1 { lines.append("  [\(row)]") }
            for (rank, index) in ranked.prefix(top).enumerated() {
                lines.append(String(format: "  %2d. class %4d  score %12.6g  p %.4f", rank + 1, index,
                                    logits[index], exps[index] / total))
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// Available cores, the default thread count.
func defaultThreadCount() -> Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
