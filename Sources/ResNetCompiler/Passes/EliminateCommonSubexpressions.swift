// cse: two parameterless nodes applying the same op to the same inputs are computed once.

/// Shares nodes whose op takes no parameters and that have the same op and inputs (e.g. a
/// `relu(x)` written twice, or two identical shortcuts). Layers with weights are never merged:
/// they are distinct layers even when their weights happen to be equal, or not bound yet.
public let eliminateCommonSubexpressionsPass = Pass(
    name: "cse",
    summary: "compute identical parameterless nodes once"
) { graph in
    struct Key: Hashable {
        var op: Op
        var inputs: [Int]
    }
    var rebuilder = GraphRebuilder(graph)
    var seen: [Key: Int] = [:]   // key over new ids → old id of the first such node
    var rewrites = 0
    for node in graph.nodes {
        // Decided by the op, not by `node.params`, which is empty in a graph not yet bound.
        let takesParameters = !node.op.parameterShapes(inputs: node.inputs.map { graph.nodes[$0].shape }).isEmpty
        guard !takesParameters, node.op != .input else {
            rebuilder.copy(node.id)
            continue
        }
        let key = Key(op: node.op, inputs: node.inputs.map(rebuilder.mapped))
        if let first = seen[key] {
            rebuilder.forward(node.id, to: first)
            rewrites += 1
        } else {
            seen[key] = node.id
            rebuilder.copy(node.id)
        }
    }
    return PassResult(graph: rebuilder.finish(), rewrites: rewrites)
}
