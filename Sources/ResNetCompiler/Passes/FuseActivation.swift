// fuse-activation: an activation right after a conv or linear becomes that layer's epilogue; so
// does a monotonic one after a max pool of a conv (the tutorial nets' conv → maxpool → relu).
import ResNetRuntime

/// Rewrites `act(conv(...))` and `act(linear(...))` into one node whose epilogue applies the
/// activation (after bias and any fused residual, which is the order they were written in).
/// The layer must have no activation yet and no other reader.
///
/// A non-decreasing activation (relu, relu6, leaky_relu with a slope ≥ 0) commutes with a max:
/// `act(maxpool(conv(x)))` becomes `maxpool(conv(x) → act)` when the pool and the conv each have
/// that one reader. Every pool window holds at least one input value (shape inference keeps the
/// padding at most half the kernel), so the results are the same bits; only a window holding a
/// NaN may differ (the reference's relu maps NaN to 0, the kernels' keep it, and max pooling
/// propagates it). The pool's 4× larger input gets the activation inside the conv's tile
/// epilogue, and one step goes.
public let fuseActivationPass = Pass(
    name: "fuse-activation",
    summary: "fold relu, leaky_relu, relu6, sigmoid and silu into the conv/linear before them (relu, relu6, leaky_relu also through a max pool)"
) { graph in
    let users = graph.users()
    let outputs = Set(graph.outputs.map(\.node))
    var fuseInto: [Int: Activation] = [:]   // producer id → activation to fuse
    var fusedActivations: Set<Int> = []
    for node in graph.nodes {
        guard case .activation(let activation) = node.op, var producer = node.inputs.first,
              users[producer] == [node.id], !outputs.contains(producer) else { continue }
        if case .maxPool = graph.nodes[producer].op {
            guard activation.isNonDecreasing, let conv = graph.nodes[producer].inputs.first,
                  case .conv = graph.nodes[conv].op, users[conv] == [producer], !outputs.contains(conv) else { continue }
            producer = conv
        }
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

extension Activation {
    /// Whether `a ≤ b` implies `apply(a) ≤ apply(b)` in Float, so that the activation commutes
    /// with a max (sigmoid and SiLU do not qualify: SiLU dips below 0, and a rounded sigmoid is
    /// not guaranteed to keep the order).
    fileprivate var isNonDecreasing: Bool {
        switch self {
        case .relu, .relu6: return true
        case .leakyRelu(let slope): return slope >= 0
        case .identity, .sigmoid, .silu: return false
        }
    }
}
