// fuse-activation: an activation right after a conv or linear becomes that layer's epilogue.
import ResNetRuntime

/// Rewrites `act(conv(...))` and `act(linear(...))` into one node whose epilogue applies the
/// activation (after bias and any fused residual, which is the order they were written in).
/// The layer must have no activation yet and no other reader.
public let fuseActivationPass = Pass(
    name: "fuse-activation",
    summary: "fold relu, leaky_relu, relu6, sigmoid and silu into the conv/linear before them"
) { graph in
    let users = graph.users()
    let outputs = Set(graph.outputs.map(\.node))
    var fuseInto: [Int: Activation] = [:]   // producer id → activation to fuse
    var fusedActivations: Set<Int> = []
    for node in graph.nodes {
        guard case .activation(let activation) = node.op, let producer = node.inputs.first,
              users[producer] == [node.id], !outputs.contains(producer) else { continue }
        switch graph.nodes[producer].op {
        case .conv(let a) where a.epilogue.activation == .identity: break
        case .linear(let a) where a.activation == .identity: break
        default: continue
        }
        fuseInto[producer] = activation
        fusedActivations.insert(node.id)
    }
    var rebuilder = GraphRebuilder(graph)
    for node in graph.nodes {
        if fusedActivations.contains(node.id) {
            rebuilder.forward(node.id, to: node.inputs[0])
        } else if let activation = fuseInto[node.id] {
            var op = node.op
            switch op {
            case .conv(var a): a.epilogue.activation = activation; op = .conv(a)
            case .linear(var a): a.activation = activation; op = .linear(a)
            default: break
            }
            rebuilder.emit(replacing: node.id, op: op, inputs: node.inputs, params: node.params)
        } else {
            rebuilder.copy(node.id)
        }
    }
    return PassResult(graph: rebuilder.finish(), rewrites: fuseInto.count)
}
