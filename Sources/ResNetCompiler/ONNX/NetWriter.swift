// Writes an IR graph as readable `.net` source: single-use chains become `a -> b -> c`
// pipelines, layers keep their names as labels, and a few reused variables (x, y, z, …)
// carry the values that branches share, so a residual block reads like the hand-written ones.
import ResNetRuntime

/// Renders a graph (nodes named with valid labels) as `.net` text.
public enum NetWriter {
    /// The `.net` source for `graph`, with `header` as its first comment line.
    public static func write(_ graph: Graph, header: String) -> String {
        var writer = Writer(graph: graph)
        return writer.render(header: header)
    }
}

private struct Writer {
    let graph: Graph
    /// How many times each node's value is read (an output counts once).
    var uses: [Int]
    var outputNodes: Set<Int>
    var biasDefault: Bool
    var variable: [Int: String] = [:]

    init(graph: Graph) {
        self.graph = graph
        uses = [Int](repeating: 0, count: graph.nodes.count)
        for node in graph.nodes { for input in node.inputs { uses[input] += 1 } }
        outputNodes = Set(graph.outputs.map(\.node))
        for output in graph.outputs { uses[output.node] += 1 }
        var biased = 0, plain = 0
        for node in graph.nodes { if case .conv(let a) = node.op { if a.hasBias { biased += 1 } else { plain += 1 } } }
        biasDefault = biased >= plain
    }

    /// Whether `id` is written inside the statement of its only reader, as a pipeline stage.
    func inlined(_ id: Int) -> Bool {
        let node = graph.nodes[id]
        guard node.op != .input, uses[id] == 1, !outputNodes.contains(id) else { return false }
        return graph.nodes.contains { $0.inputs == [id] }
    }

    mutating func render(header: String) -> String {
        var lines = ["# \(header)", "network \(graph.name)"]
        for node in graph.nodes where node.op == .input {
            variable[node.id] = node.name
            lines.append("input \(node.name): [\(node.shape.map(String.init).joined(separator: ", "))]")
        }
        if !biasDefault { lines.append("defaults conv(bias: false)") }
        lines.append("")
        let statements = graph.nodes.filter { $0.op != .input && !inlined($0.id) }.map(\.id)
        var lastRead: [Int: Int] = [:]
        for (index, id) in statements.enumerated() { for input in graph.nodes[chainHead(id)].inputs { lastRead[input] = index } }
        var free = ["x", "y", "z", "w", "v", "u"].filter { name in !graph.nodes.contains { $0.op == .input && $0.name == name } }
        var extra = 0
        for (index, id) in statements.enumerated() {
            let head = chainHead(id)
            var released: [String] = []
            for input in Set(graph.nodes[head].inputs) where lastRead[input] == index && graph.nodes[input].op != .input {
                if let name = variable[input] { released.append(name) }
            }
            let expression = chain(to: id)
            if let output = graph.outputs.first(where: { $0.node == id }), uses[id] == 1 {
                lines.append("output \(output.name) = \(expression)")
                free = released + free
                continue
            }
            let first = graph.nodes[head].inputs.first.flatMap { variable[$0] }
            let name: String
            if let first, released.contains(first) {
                name = first
            } else if let pick = released.first ?? free.first {
                name = pick
            } else {
                extra += 1
                name = "t\(extra)"
            }
            free = (released + free).filter { $0 != name }
            variable[id] = name
            lines.append("\(name) = \(expression)")
        }
        for output in graph.outputs where !(uses[output.node] == 1 && statements.contains(output.node)) || graph.nodes[output.node].op == .input {
            lines.append("output \(output.name) = \(variable[output.node] ?? "?")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The first node of the pipeline that ends at `id`.
    func chainHead(_ id: Int) -> Int {
        var head = id
        while graph.nodes[head].inputs.count == 1, inlined(graph.nodes[head].inputs[0]) { head = graph.nodes[head].inputs[0] }
        return head
    }

    /// `head -> stage -> … -> id` as text.
    func chain(to id: Int) -> String {
        var stages: [Int] = [id]
        while graph.nodes[stages[0]].inputs.count == 1, inlined(graph.nodes[stages[0]].inputs[0]) {
            stages.insert(graph.nodes[stages[0]].inputs[0], at: 0)
        }
        let head = graph.nodes[stages[0]]
        var text: String
        if head.op == .add {
            let sum = head.inputs.map { variable[$0] ?? "?" }.joined(separator: " + ")
            if stages.count >= 2, case .activation = graph.nodes[stages[1]].op,
               graph.nodes[stages[1]].name.isEmpty, spelling(graph.nodes[stages[1]]).1.isEmpty {
                text = "\(graph.nodes[stages[1]].op.mnemonic)(\(sum))"
                stages.removeFirst()
            } else {
                text = sum
            }
        } else {
            let (call, args) = spelling(head)
            text = label(head) + call + "(" + ([variable[head.inputs[0]] ?? "?"] + args).joined(separator: ", ") + ")"
        }
        var parts = [text]
        for id in stages.dropFirst() {
            let node = graph.nodes[id]
            let (call, args) = spelling(node)
            parts.append(label(node) + call + (args.isEmpty ? "" : "(" + args.joined(separator: ", ") + ")"))
        }
        // A line that ends with `->` continues on the next, so long pipelines wrap one stage per line.
        let oneLine = parts.joined(separator: " -> ")
        return oneLine.count <= 100 ? oneLine : parts.joined(separator: " ->\n    ")
    }

    func label(_ node: Node) -> String { node.name.isEmpty ? "" : node.name + ": " }

    /// The op's DSL name and its arguments after the input, defaults left out.
    func spelling(_ node: Node) -> (String, [String]) {
        switch node.op {
        case .conv(let a):
            var args = [String(a.outChannels), "kernel: \(a.kernel)"]
            if a.stride != 1 { args.append("stride: \(a.stride)") }
            if a.padding != 0 { args.append("pad: \(a.padding)") }
            if a.dilation != 1 { args.append("dilation: \(a.dilation)") }
            if a.groups != 1 { args.append("groups: \(a.groups)") }
            if a.hasBias != biasDefault { args.append("bias: \(a.hasBias)") }
            return ("conv", args)
        case .batchNorm(let eps):
            return ("batchnorm", Float(eps) == Float(1e-5) ? [] : ["eps: \(number(eps))"])
        case .activation(.leakyRelu(let slope)):
            return ("leaky_relu", slope == 0.01 ? [] : ["slope: \(number(Double(slope)))"])
        case .maxPool(let p), .avgPool(let p):
            var args = ["kernel: \(p.kernel)"]
            if p.stride != p.kernel { args.append("stride: \(p.stride)") }
            if p.padding != 0 { args.append("pad: \(p.padding)") }
            if p.ceilMode { args.append("ceil: true") }
            if case .avgPool = node.op, !p.countIncludePad { args.append("count_include_pad: false") }
            return (node.op.mnemonic, args)
        case .linear(let a):
            return ("linear", [String(a.outFeatures)] + (a.hasBias ? [] : ["bias: false"]))
        case .dropout(let p):
            return ("dropout", p == 0.5 ? [] : ["p: \(number(p))"])
        case .shortcutA(let out, let stride):
            return ("shortcut_a", [String(out)] + (stride == 1 ? [] : ["stride: \(stride)"]))
        default:
            return (node.op.mnemonic, [])
        }
    }

    /// A float literal the lexer reads back to the same float32 (a leading `-` is unary minus).
    func number(_ value: Double) -> String {
        let text = Float(value).description
        return text.contains(".") || text.contains("e") ? text : text + ".0"
    }
}
