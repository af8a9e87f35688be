// Rebuilds a graph node by node so that passes only say, per old node, whether to copy it,
// replace it, or forward its uses to another value; ids are renumbered densely.
import ResNetRuntime

/// Incrementally builds a rewritten copy of a graph.
struct GraphRebuilder {
    let old: Graph
    private(set) var new: Graph
    /// Old node id → id in `new`; nil while not emitted (or dropped).
    private var mapping: [Int?]

    init(_ old: Graph) {
        self.old = old
        self.new = Graph(name: old.name)
        self.mapping = [Int?](repeating: nil, count: old.nodes.count)
    }

    /// The new id holding the value of old node `oldID`.
    func mapped(_ oldID: Int) -> Int {
        guard let id = mapping[oldID] else {
            preconditionFailure("pass used node %\(oldID) before emitting or forwarding it")
        }
        return id
    }

    /// Whether old node `oldID` has been emitted or forwarded.
    func isMapped(_ oldID: Int) -> Bool { mapping[oldID] != nil }

    /// Copies an old node unchanged (its inputs remapped).
    mutating func copy(_ oldID: Int) {
        let node = old.nodes[oldID]
        emit(replacing: oldID, op: node.op, inputs: node.inputs, params: node.params)
    }

    /// Emits a node in place of old node `oldID`: same name, location and shape, with the
    /// given op, old input ids and params. Returns the new id.
    @discardableResult
    mutating func emit(replacing oldID: Int, op: Op, inputs oldInputs: [Int], params: [String: Tensor],
                       name: String? = nil) -> Int {
        let node = old.nodes[oldID]
        let id = new.nodes.count
        new.nodes.append(Node(id: id, name: name ?? node.name, op: op, inputs: oldInputs.map(mapped),
                              shape: node.shape, params: params, location: node.location))
        mapping[oldID] = id
        return id
    }

    /// Makes every later use of old node `oldID` read the value of old node `target` instead.
    mutating func forward(_ oldID: Int, to target: Int) {
        mapping[oldID] = mapped(target)
    }

    /// The finished graph, outputs remapped.
    func finish() -> Graph {
        var graph = new
        graph.outputs = old.outputs.map { GraphOutput(name: $0.name, node: mapped($0.node)) }
        return graph
    }
}
