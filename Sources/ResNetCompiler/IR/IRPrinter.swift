// Stable, diffable text form of a Graph, one line per node (for --dump-ir and --print-after).
import ResNetRuntime

/// Prints graphs deterministically: non-default attributes only, params in their canonical order.
public enum IRPrinter {
    /// The whole graph as text, ending with a newline.
    public static func print(_ graph: Graph) -> String {
        var lines = ["graph \(graph.name) {"]
        for node in graph.nodes { lines.append("  " + line(node, graph)) }
        for output in graph.outputs { lines.append("  output \(output.name) = %\(output.node)") }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func line(_ node: Node, _ graph: Graph) -> String {
        let operands = node.inputs.map { "%\($0)" }.joined(separator: ", ")
        var text = "%\(node.id) = \(node.op.mnemonic)" + (node.op == .input ? "" : "(\(operands))")
        let attrs = attributes(node.op)
        if !attrs.isEmpty { text += " " + attrs.joined(separator: " ") }
        if !node.name.isEmpty { text += " \"\(node.name)\"" }
        text += " : \(node.shape.shapeDescription)"
        let shapes = node.inputs.allSatisfy({ $0 >= 0 && $0 < graph.nodes.count })
            ? node.op.parameterShapes(inputs: node.inputs.map { graph.nodes[$0].shape }) : []
        let present = shapes.map(\.name).filter { node.params[$0] != nil }
            + node.params.keys.sorted().filter { name in !shapes.contains { $0.name == name } }
        if !present.isEmpty {
            text += "  params " + present.map { "\($0) \(node.params[$0]!.shape.shapeDescription)" }.joined(separator: ", ")
        }
        return text
    }

    private static func attributes(_ op: Op) -> [String] {
        switch op {
        case .conv(let a):
            var r = ["out=\(a.outChannels)", "k=\(a.kernel)", "s=\(a.stride)", "p=\(a.padding)"]
            if a.dilation != 1 { r.append("d=\(a.dilation)") }
            if a.groups != 1 { r.append("g=\(a.groups)") }
            r.append("bias=\(a.hasBias)")
            let e = epilogue(a.epilogue)
            if !e.isEmpty { r.append("epilogue=" + e) }
            return r
        case .batchNorm(let eps): return ["eps=\(eps)"]
        case .activation(.leakyRelu(let slope)): return ["slope=\(slope)"]
        case .maxPool(let p), .avgPool(let p):
            var r = ["k=\(p.kernel)", "s=\(p.stride)", "p=\(p.padding)"]
            if p.ceilMode { r.append("ceil_mode=true") }
            if case .avgPool = op, !p.countIncludePad { r.append("count_include_pad=false") }
            return r
        case .linear(let a):
            var r = ["out=\(a.outFeatures)", "bias=\(a.hasBias)"]
            if a.activation != .identity { r.append("act=\(a.activation.description)") }
            return r
        case .dropout(let p): return ["p=\(p)"]
        case .shortcutA(let out, let s): return ["out=\(out)", "s=\(s)"]
        default: return []
        }
    }

    /// `+residual,relu`, `+shortcut_a(2)`, `relu`, or "" for the default epilogue.
    private static func epilogue(_ e: Epilogue) -> String {
        var parts: [String] = []
        switch e.residual {
        case .identity: parts.append("+residual")
        case .shortcutA(let s): parts.append("+shortcut_a(\(s))")
        case nil: break
        }
        if e.activation != .identity { parts.append(e.activation.description) }
        return parts.joined(separator: ",")
    }
}
