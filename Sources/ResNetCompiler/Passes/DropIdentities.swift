// drop-identities: ops that compute nothing at inference (dropout, identity activation, 1x1/s1
// pools, a flatten or shortcut that changes no shape) are removed.

/// Forwards every use of an op that is an identity at inference to its input.
public let dropIdentitiesPass = Pass(
    name: "drop-identities",
    summary: "remove dropout and other ops that are identities at inference"
) { graph in
    var rebuilder = GraphRebuilder(graph)
    var rewrites = 0
    for node in graph.nodes {
        if isIdentity(node, in: graph) {
            rebuilder.forward(node.id, to: node.inputs[0])
            rewrites += 1
        } else {
            rebuilder.copy(node.id)
        }
    }
    return PassResult(graph: rebuilder.finish(), rewrites: rewrites)
}

/// Whether the node returns its input unchanged. Besides dropout, an identity activation must go
/// here: fused into a conv it would leave the conv's activation slot empty, so the activation
/// after it would fuse only on a second pipeline run.
private func isIdentity(_ node: Node, in graph: Graph) -> Bool {
    guard let input = node.inputs.first, graph.nodes[input].shape == node.shape else { return false }
    switch node.op {
    case .dropout, .activation(.identity), .flatten:
        return true
    case .maxPool(let p), .avgPool(let p):
        return p.kernel == 1 && p.stride == 1 && p.padding == 0
    case .shortcutA(_, let stride):
        return stride == 1
    default:
        return false
    }
}
