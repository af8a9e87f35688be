// `resnetc inspect`: a model's steps, output shapes, parameters, FLOPs and memory (the memory
// figures and the --memory buffer table live in MemoryReport.swift).
import Foundation
import ResNetCompiler
import ResNetRuntime

enum InspectCommand {
    static func run(_ argv: [String]) throws {
        if argv.contains("--help") || argv.contains("-h") { throw HelpRequested(text: Help.inspect) }
        let args = try Arguments(argv, options: SourceOptions.names, flags: ["--json", "--memory"] + SourceOptions.flags)
        let path = try args.single("a model (.rnc or .net) to inspect")
        let loaded = try ModelSource.load(path, args: args)
        let report = ModelReport(plan: loaded.model.plan)
        if args.flag("--json") {
            print(try report.json())
        } else {
            print(report.table())
            if args.flag("--memory") { print("\n" + MemoryReport(plan: report.plan).bufferTable()) }
        }
    }
}

/// Figures about a plan, shared by inspect and bench.
struct ModelReport {
    var plan: Plan

    var params: Int { Int(plan.metadata["params"] ?? "") ?? 0 }
    var flops: Int { Int(plan.metadata["flops"] ?? "") ?? 0 }
    var weightBytes: Int { plan.weightFloats * 4 }

    func json() throws -> String {
        var object: [String: Any] = [
            "name": plan.name,
            "params": params,
            "flops": flops,
            "weight_bytes": weightBytes,
            "steps": plan.steps.count,
            "inputs": plan.inputs.map { ["name": $0.name, "shape": $0.tensor.shape] as [String: Any] },
            "outputs": plan.outputs.map { ["name": $0.name, "shape": $0.tensor.shape] as [String: Any] },
            "metadata": plan.metadata,
            "preprocess": InputRecipeReport.describe(plan.preprocess) ?? NSNull(),
            "labels": plan.labels.map(\.count) ?? NSNull(),
            "tunings": Dictionary(plan.steps.compactMap { step in step.tuning.map { (step.name, $0.summary) } }) { first, _ in first },
            "passes": PassReport.decode(plan.metadata["pass_reports"] ?? "").map {
                ["name": $0.name, "rewrites": $0.rewrites, "nodes_before": $0.nodesBefore,
                 "nodes_after": $0.nodesAfter] as [String: Any]
            },
        ]
        object.merge(MemoryReport(plan: plan).jsonFields) { _, memory in memory }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    func table() -> String {
        var lines = ["model \(plan.name)"]
        for input in plan.inputs { lines.append("input  \(input.name): \(input.tensor.shapeAndLayout)") }
        for output in plan.outputs { lines.append("output \(output.name): \(output.tensor.shapeAndLayout)") }
        if let recipe = InputRecipeReport.describe(plan.preprocess) { lines.append("images: \(recipe)") }
        if let labels = InputRecipeReport.describe(labels: plan.labels) { lines.append("labels: \(labels)") }
        if let context = plan.metadata[Tuner.metadataKey] {
            let tuned = plan.steps.filter { $0.tuning != nil }.count
            let convs = plan.steps.filter { if case .conv2d = $0.op { return true } else { return false } }.count
            lines.append("tuned:  for \(context); \(tuned) of \(convs) convs changed")
        }
        lines.append("")
        let nameWidth = min(40, max(4, plan.steps.map(\.name.count).max() ?? 4))
        let outputWidth = max(18, plan.steps.map(\.output.shapeAndLayout.count).max() ?? 18)
        lines.append(pad("step", nameWidth) + "  " + pad("op", 18) + "  " + pad("output", outputWidth) + "  weights")
        for step in plan.steps {
            let weights = step.weights.reduce(0) { $0 + $1.count }
            lines.append(pad(step.name, nameWidth) + "  " + pad(opName(step), 18) + "  "
                + pad(step.output.shapeAndLayout, outputWidth) + "  " + (weights > 0 ? formatCount(weights) : "-")
                + (step.tuning.map { "  tuned: " + $0.summary } ?? ""))
        }
        lines.append("")
        lines.append("steps:       \(plan.steps.count)")
        lines.append("parameters:  \(formatCount(params))")
        lines.append("FLOPs:       \(formatFLOPs(flops)) (2 × multiply-adds, whole batch)")
        lines.append("weights:     \(formatBytes(weightBytes))")
        lines.append(contentsOf: MemoryReport(plan: plan).summaryLines)
        let reports = PassReport.decode(plan.metadata["pass_reports"] ?? "")
        lines.append("")
        if reports.isEmpty {
            lines.append("passes:      none (-O0)")
        } else {
            lines.append(pad("pass", 16) + "  rewrites  nodes")
            for r in reports {
                lines.append(pad(r.name, 16) + "  " + pad(String(r.rewrites), 8) + "  \(r.nodesBefore) → \(r.nodesAfter)")
            }
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    private func opName(_ step: Step) -> String {
        var name: String
        switch step.op {
        case .conv2d(let p): name = "conv\(p.kernel)x\(p.kernel)" + (p.stride > 1 ? "/\(p.stride)" : "")
        case .linear: name = "linear"
        case .scaleShift: name = "scale_shift"
        case .activation: name = step.epilogue.activation.description
        case .add: name = "add"
        case .maxPool: name = "maxpool"
        case .avgPool: name = "avgpool"
        case .globalAvgPool: name = "global_avgpool"
        case .softmax: name = "softmax"
        case .shortcutA: name = "shortcut_a"
        case .copy: name = "copy"
        }
        if step.epilogue.residual != nil { name += "+add" }
        if case .activation = step.op {} else if step.epilogue.activation != .identity {
            name += "+" + step.epilogue.activation.description
        }
        return name
    }
}
