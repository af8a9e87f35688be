// drop-identities: ops that compute nothing at inference (dropout) are removed.

/// Forwards every use of a dropout (an identity at inference) to its input.
public let dropIdentitiesPass = Pass(
    name: "drop-identities",
    summary: "remove dropout and other ops that are identities at inference"
) { graph in
    var rebuilder = GraphRebuilder(graph)
    var rewrites = 0
    for node in graph.nodes {
        if case .dropout = node.op {
            rebuilder.forward(node.id, to: node.inputs[0])
            rewrites += 1
        } else {
            rebuilder.copy(node.id)
        }
    }
    return PassResult(graph: rebuilder.finish(), rewrites: rewrites)
}
