// fuse-residual: `conv(x) + shortcut` becomes one conv whose epilogue adds the shortcut, so no
// residual block needs a separate add; an option-A shortcut is fused with its own mapping.
import ResNetRuntime

/// Rewrites `add(conv(x), s)` into `conv(x, residual: s)`. The left operand is preferred (the
/// main path is written first by convention), else the right; the conv must have no epilogue yet
/// and no other reader. The fused conv takes the add's place in the order, so the shortcut is
/// always computed before it. `s = shortcut_a(x')` read only here fuses as an option-A residual
/// on `x'` and the shortcut node disappears.
public let fuseResidualPass = Pass(
    name: "fuse-residual",
    summary: "fold a residual add into the conv that produces one of its operands"
) { graph in
    let users = graph.users()
    let outputs = Set(graph.outputs.map(\.node))
    func fusable(_ id: Int) -> Bool {
        guard case .conv(let a) = graph.nodes[id].op, a.epilogue == Epilogue() else { return false }
        return users[id].count == 1 && !outputs.contains(id)
    }
    // add id → the conv to fuse into it, the shortcut it reads and how
    var plans: [Int: (conv: Int, shortcut: Int, residual: Residual)] = [:]
    var deferred: Set<Int> = []
    for node in graph.nodes {
        guard case .add = node.op else { continue }
        let (l, r) = (node.inputs[0], node.inputs[1])
        guard l != r else { continue }
        guard let conv = fusable(l) ? l : (fusable(r) ? r : nil) else { continue }
        var shortcut = conv == l ? r : l
        var residual = Residual.identity
        if case .shortcutA(_, let stride) = graph.nodes[shortcut].op, users[shortcut].count == 1,
           !outputs.contains(shortcut) {
            residual = .shortcutA(stride: stride)
            deferred.insert(shortcut)
            shortcut = graph.nodes[shortcut].inputs[0]
        }
        plans[node.id] = (conv, shortcut, residual)
        deferred.insert(conv)
    }
    var rebuilder = GraphRebuilder(graph)
    for node in graph.nodes {
        if deferred.contains(node.id) { continue }
        guard let plan = plans[node.id], case .conv(var attributes) = graph.nodes[plan.conv].op else {
            rebuilder.copy(node.id)
            continue
        }
        let conv = graph.nodes[plan.conv]
        attributes.epilogue.residual = plan.residual
        rebuilder.emit(replacing: node.id, op: .conv(attributes), inputs: [conv.inputs[0], plan.shortcut],
                       params: conv.params, name: conv.name)
    }
    return PassResult(graph: rebuilder.finish(), rewrites: plans.count)
}
