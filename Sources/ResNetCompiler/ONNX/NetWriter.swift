// Writes an IR graph as readable `.net` source: single-use chains become `a -> b -> c`
// pipelines, layers keep their names as labels, a few reused variables (x, y, z, …) carry the
// values that branches share, and residual units found by `NetBlocks` become block calls.
import ResNetRuntime

/// Renders a graph (nodes named with valid labels) as `.net` text.
public enum NetWriter {
    /// The `.net` source for `graph`, with `header` as its first comment line. `scopes` (one per
    /// node: its module path, e.g. `layer1.0`) lets repeated residual units become `block`s and
    /// `repeat`s; without it, or when the units do not fit, the network is written flat.
    public static func write(_ graph: Graph, header: String, scopes: [String]? = nil) -> String {
        let biasDefault = prefersBias(graph)
        let flat = render(graph, header: header, biasDefault: biasDefault, blocks: nil)
        guard let scopes, let blocks = NetBlocks.find(in: graph, scopes: scopes, biasDefault: biasDefault) else { return flat }
        let structured = render(graph, header: header, biasDefault: biasDefault, blocks: blocks)
        // The blocks are a rewriting of the flat text; keep them only if they elaborate to the same layers.
        return describesSameLayers(structured, as: graph) ? structured : flat
    }

    /// Whether `source` elaborates to layers with `graph`'s names, ops and shapes, the same
    /// count of each op, and the same output shapes.
    public static func describesSameLayers(_ source: String, as graph: Graph) -> Bool {
        guard let elaborated = try? Frontend.elaborate(source: source, fileName: graph.name + ".net", options: FrontendOptions()) else {
            return false
        }
        func signature(_ g: Graph) -> [String] {
            let layers = g.nodes.filter { !$0.op.parameterShapes(inputs: $0.inputs.map { g.nodes[$0].shape }).isEmpty }
                .map { "\($0.name)|\($0.op)|\($0.shape)" }
            let ops = g.nodes.map { "\($0.op.mnemonic)|\($0.op)|\($0.shape)" }
            return layers.sorted() + ops.sorted() + g.outputs.map { "\($0.name)|\(g.nodes[$0.node].shape)" }
        }
        return signature(elaborated) == signature(graph)
    }

    private static func render(_ graph: Graph, header: String, biasDefault: Bool,
                               blocks: (definitions: [[String]], groups: [UnitGroup])?) -> String {
        var lines = ["# \(header)", "network \(graph.name)"]
        for node in graph.nodes where node.op == .input {
            lines.append("input \(node.name): [\(node.shape.map(String.init).joined(separator: ", "))]")
        }
        if !biasDefault { lines.append("defaults conv(bias: false)") }
        for block in blocks?.definitions ?? [] { lines += [""] + block }
        lines.append("")
        let writer = NetStatementWriter(graph: graph, groups: blocks?.groups ?? [], biasDefault: biasDefault, ints: PlainInts())
        lines += writer.statements(returning: false)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether most convs have a bias (else the file says `defaults conv(bias: false)`).
    static func prefersBias(_ graph: Graph) -> Bool {
        var biased = 0, plain = 0
        for node in graph.nodes { if case .conv(let a) = node.op { if a.hasBias { biased += 1 } else { plain += 1 } } }
        return biased >= plain
    }
}

/// A run of residual units written as block calls: nodes `first...last` compute `last` from `input`.
struct UnitGroup {
    var input: Int
    var first: Int
    var last: Int
    /// The statements, given the variable that holds the input (and receives the result).
    var render: (String) -> [String]
}

/// How integer arguments print: as literals, or (in a block template) as slots resolved later.
protocol IntArguments {
    /// A positional int (channels).
    func positional(_ value: Int) -> String
    /// `, name: value` for an int whose op default is `fallback` ("" when it equals it).
    func named(_ name: String, _ value: Int, default fallback: Int) -> String
}

struct PlainInts: IntArguments {
    func positional(_ value: Int) -> String { String(value) }
    func named(_ name: String, _ value: Int, default fallback: Int) -> String { value == fallback ? "" : ", \(name): \(value)" }
}

/// Emits the statements of a graph: pipelines, variables, group calls and outputs (or a `return`).
struct NetStatementWriter {
    let graph: Graph
    let groups: [UnitGroup]
    let biasDefault: Bool
    let ints: IntArguments
    /// Nodes written inside a group's call, not on their own.
    let hidden: Set<Int>
    /// Reads of each node's value (outputs count once).
    let uses: [Int]
    let groupByLast: [Int: UnitGroup]

    init(graph: Graph, groups: [UnitGroup], biasDefault: Bool, ints: IntArguments) {
        self.graph = graph
        self.groups = groups
        self.biasDefault = biasDefault
        self.ints = ints
        var hidden = Set<Int>()
        for group in groups { hidden.formUnion(group.first...group.last) }
        self.hidden = hidden
        var uses = [Int](repeating: 0, count: graph.nodes.count)
        for node in graph.nodes where !hidden.contains(node.id) { for input in node.inputs { uses[input] += 1 } }
        for group in groups { uses[group.input] += 1 }
        for output in graph.outputs { uses[output.node] += 1 }
        self.uses = uses
        groupByLast = Dictionary(uniqueKeysWithValues: groups.map { ($0.last, $0) })
    }

    /// The nodes (and groups, by their last node) whose values a statement reads.
    func reads(_ id: Int) -> [Int] {
        if let group = groupByLast[id] { return [group.input] }
        return graph.nodes[chainHead(id)].inputs
    }

    /// Whether `id` is written inside the statement of its only reader, as a pipeline stage.
    func inlined(_ id: Int) -> Bool {
        let node = graph.nodes[id]
        guard node.op != .input, !hidden.contains(id), uses[id] == 1, !graph.outputs.contains(where: { $0.node == id }) else { return false }
        return graph.nodes.contains { !hidden.contains($0.id) && $0.inputs == [id] }
    }

    /// Every statement; the graph's (single) output becomes `return …` when `returning`.
    func statements(returning: Bool) -> [String] {
        var variable: [Int: String] = [:]
        for node in graph.nodes where node.op == .input { variable[node.id] = node.name }
        let order = graph.nodes.filter { $0.op != .input && (groupByLast[$0.id] != nil || !hidden.contains($0.id) && !inlined($0.id)) }.map(\.id)
        var lastRead: [Int: Int] = [:]
        for (index, id) in order.enumerated() { for input in reads(id) { lastRead[input] = index } }
        var free = ["x", "y", "z", "w", "v", "u"].filter { name in !graph.nodes.contains { $0.op == .input && $0.name == name } }
        var extra = 0
        var lines: [String] = []
        func fresh() -> String {
            if !free.isEmpty { return free.removeFirst() }
            extra += 1
            return "t\(extra)"
        }
        for (index, id) in order.enumerated() {
            var released: [String] = []
            for input in Set(reads(id)) where lastRead[input] == index && graph.nodes[input].op != .input {
                if let name = variable[input] { released.append(name) }
            }
            free = released + free
            if let group = groupByLast[id] {
                let source = variable[group.input] ?? "?"
                var name = source
                if !released.contains(source) {
                    name = fresh()
                    lines.append("\(name) = \(source)")
                }
                free.removeAll { $0 == name }
                lines += group.render(name)
                variable[id] = name
                if let output = graph.outputs.first(where: { $0.node == id }), uses[id] == 1 {
                    lines.append(returning ? "return \(name)" : "output \(output.name) = \(name)")
                }
                continue
            }
            let expression = chain(to: id, variable: variable)
            if let output = graph.outputs.first(where: { $0.node == id }), uses[id] == 1 {
                lines.append(returning ? "return \(expression)" : "output \(output.name) = \(expression)")
                continue
            }
            let first = graph.nodes[chainHead(id)].inputs.first.flatMap { variable[$0] }
            let name = first.flatMap { released.contains($0) ? $0 : nil } ?? released.first ?? fresh()
            free.removeAll { $0 == name }
            variable[id] = name
            lines.append("\(name) = \(expression)")
        }
        for output in graph.outputs where !(uses[output.node] == 1 && order.contains(output.node)) {
            lines.append(returning ? "return \(variable[output.node] ?? "?")" : "output \(output.name) = \(variable[output.node] ?? "?")")
        }
        return lines
    }

    /// The first node of the pipeline that ends at `id`.
    func chainHead(_ id: Int) -> Int {
        var head = id
        while graph.nodes[head].inputs.count == 1, inlined(graph.nodes[head].inputs[0]) { head = graph.nodes[head].inputs[0] }
        return head
    }

    /// `head -> stage -> … -> id` as text, wrapped one stage per line past 100 characters.
    func chain(to id: Int, variable: [Int: String]) -> String {
        var stages: [Int] = [id]
        while graph.nodes[stages[0]].inputs.count == 1, inlined(graph.nodes[stages[0]].inputs[0]) {
            stages.insert(graph.nodes[stages[0]].inputs[0], at: 0)
        }
        let head = graph.nodes[stages.removeFirst()]
        var first: String
        if head.op == .add {
            first = head.inputs.map { variable[$0] ?? "?" }.joined(separator: " + ")
            if let next = stages.first, case .activation = graph.nodes[next].op, graph.nodes[next].name.isEmpty,
               spelling(graph.nodes[next]).1.isEmpty {
                first = "\(graph.nodes[next].op.mnemonic)(\(first))"
                stages.removeFirst()
            }
        } else {
            let (call, args) = spelling(head)
            first = label(head) + call + "(" + ([variable[head.inputs[0]] ?? "?"] + args).joined(separator: ", ") + ")"
        }
        var parts = [first]
        for id in stages {
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
            var args = [ints.positional(a.outChannels),
                        "kernel: \(a.kernel)" + ints.named("stride", a.stride, default: 1) + ints.named("pad", a.padding, default: 0)]
            if a.dilation != 1 { args.append("dilation: \(a.dilation)") }
            if a.groups != 1 { args.append("groups: \(a.groups)") }
            if a.hasBias != biasDefault { args.append("bias: \(a.hasBias)") }
            return ("conv", args)
        case .batchNorm(let eps):
            return ("batchnorm", eps == 1e-5 ? [] : ["eps: \(number(eps))"])
        case .activation(.leakyRelu(let slope)):
            // The slope is a float32 and its shortest spelling reads back to it exactly.
            return ("leaky_relu", slope == 0.01 ? [] : ["slope: \(number(Double(slope.description) ?? Double(slope)))"])
        case .maxPool(let p), .avgPool(let p):
            var args = ["kernel: \(p.kernel)"]
            if p.stride != p.kernel { args.append("stride: \(p.stride)") }
            if p.padding != 0 { args.append("pad: \(p.padding)") }
            if p.ceilMode { args.append("ceil: true") }
            if case .avgPool = node.op, !p.countIncludePad { args.append("count_include_pad: false") }
            return (node.op.mnemonic, args)
        case .linear(let a):
            return ("linear", [ints.positional(a.outFeatures)] + (a.hasBias ? [] : ["bias: false"]))
        case .dropout(let p):
            return ("dropout", p == 0.5 ? [] : ["p: \(number(p))"])
        case .shortcutA(let out, let stride):
            return ("shortcut_a", [String(out)] + (stride == 1 ? [] : ["stride: \(stride)"]))
        default:
            return (node.op.mnemonic, [])
        }
    }

    /// A float literal the lexer reads back to the same double (a leading `-` is unary minus).
    func number(_ value: Double) -> String {
        let text = value.description
        return text.contains(".") || text.contains("e") ? text : text + ".0"
    }
}
