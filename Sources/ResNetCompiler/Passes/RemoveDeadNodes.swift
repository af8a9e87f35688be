// dce: nodes whose values no output depends on are removed (inputs always stay).

/// Removes every node that no graph output reads, directly or indirectly. Model inputs are kept
/// even when unused, so the model's signature does not change.
public let removeDeadNodesPass = Pass(
    name: "dce",
    summary: "remove nodes no output depends on"
) { graph in
    var live = [Bool](repeating: false, count: graph.nodes.count)
    for output in graph.outputs { live[output.node] = true }
    for node in graph.nodes.reversed() where live[node.id] {
        for input in node.inputs { live[input] = true }
    }
    var rebuilder = GraphRebuilder(graph)
    var rewrites = 0
    for node in graph.nodes {
        if live[node.id] || node.op == .input {
            rebuilder.copy(node.id)
        } else {
            rewrites += 1
        }
    }
    return PassResult(graph: rebuilder.finish(), rewrites: rewrites)
}
