// Graphviz DOT of a Graph (`resnetc graph --dot`): one box per node, shapes on the edges, fused
// epilogues written into the conv's box and residual edges dashed, so before/after pictures
// show what the passes did.
import ResNetRuntime

/// Prints graphs as Graphviz DOT, deterministically.
public enum DotPrinter {
    /// The whole graph as a `digraph`, ending with a newline.
    public static func print(_ graph: Graph) -> String {
        var lines = [
            "digraph \(quoted(graph.name)) {",
            "  rankdir=TB;",
            "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f5f5f5\", fontname=\"Helvetica\", fontsize=10];",
            "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#555555\"];",
        ]
        for node in graph.nodes {
            lines.append("  n\(node.id) [label=\(quoted(label(node))), fillcolor=\(quoted(color(node.op)))];")
        }
        for node in graph.nodes {
            for (index, input) in node.inputs.enumerated() {
                let residual = index == 1 && isFusedResidual(node.op)
                var attributes = ["label=\(quoted(graph.nodes[input].shape.shapeDescription))"]
                if residual { attributes.append("style=dashed") }
                lines.append("  n\(input) -> n\(node.id) [\(attributes.joined(separator: ", "))];")
            }
        }
        for (index, output) in graph.outputs.enumerated() {
            lines.append("  out\(index) [label=\(quoted("output \(output.name)")), shape=plaintext, style=\"\"];")
            lines.append("  n\(output.node) -> out\(index) [label=\(quoted(graph.nodes[output.node].shape.shapeDescription))];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `layer1.0.conv2` / `conv 3x3 s1 → 64` / `+ residual, relu`.
    static func label(_ node: Node) -> String {
        var lines: [String] = []
        if !node.name.isEmpty { lines.append(node.name) }
        switch node.op {
        case .input:
            lines.append("input \(node.shape.shapeDescription)")
        case .conv(let a):
            var text = "conv \(a.kernel)x\(a.kernel)"
            if a.stride != 1 { text += " /\(a.stride)" }
            if a.groups != 1 { text += " g\(a.groups)" }
            if a.dilation != 1 { text += " d\(a.dilation)" }
            lines.append(text + " → \(a.outChannels)")
            var fused: [String] = []
            switch a.epilogue.residual {
            case .identity: fused.append("+ residual")
            case .shortcutA(let s): fused.append("+ shortcut A /\(s)")
            case nil: break
            }
            if a.epilogue.activation != .identity { fused.append(a.epilogue.activation.description) }
            if !fused.isEmpty { lines.append(fused.joined(separator: ", ")) }
        case .linear(let a):
            lines.append("linear → \(a.outFeatures)" + (a.activation != .identity ? ", \(a.activation.description)" : ""))
        case .maxPool(let p), .avgPool(let p):
            lines.append("\(node.op.mnemonic) \(p.kernel)x\(p.kernel) /\(p.stride)")
        default:
            lines.append(node.op.mnemonic)
        }
        return lines.joined(separator: "\n")
    }

    /// Whether the node's second input is a residual added by its epilogue.
    private static func isFusedResidual(_ op: Op) -> Bool {
        if case .conv(let a) = op { return a.epilogue.residual != nil }
        return false
    }

    /// Fill colours by kind: layers with weights, normalization, activations, the rest.
    private static func color(_ op: Op) -> String {
        switch op {
        case .conv: return "#cfe2f3"
        case .linear: return "#d9d2e9"
        case .batchNorm, .scaleShift: return "#fff2cc"
        case .activation: return "#d9ead3"
        case .add, .shortcutA: return "#f4cccc"
        case .input: return "#ffffff"
        default: return "#f5f5f5"
        }
    }

    /// A DOT string literal.
    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
