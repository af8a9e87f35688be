// fold-batchnorm: a batch norm after a conv or linear disappears into that layer's weights and
// bias; any other batch norm becomes a per-channel scale-and-shift.
import ResNetRuntime

/// Folds `bn(conv(x))` into the conv (weights and bias scaled per output channel, in Double and
/// rounded once). A conv whose output is also read elsewhere, or that already has an epilogue, is
/// left alone and its batch norm becomes `scale_shift`, as does a batch norm with no conv before it.
public let foldBatchNormPass = Pass(
    name: "fold-batchnorm",
    summary: "fold batch norms into the conv/linear before them; others become scale_shift"
) { graph in
    let users = graph.users()
    let outputs = Set(graph.outputs.map(\.node))
    // producer id → batch norm id, for every batch norm that can be folded.
    var foldInto: [Int: Int] = [:]
    for node in graph.nodes {
        guard case .batchNorm = node.op, let producer = node.inputs.first else { continue }
        if isFoldable(graph.nodes[producer]), users[producer] == [node.id], !outputs.contains(producer) {
            foldInto[producer] = node.id
        }
    }
    var rebuilder = GraphRebuilder(graph)
    var rewrites = 0
    for node in graph.nodes {
        if let bnID = foldInto[node.id] {
            let (op, params) = folded(node, into: graph.nodes[bnID])
            rebuilder.emit(replacing: node.id, op: op, inputs: node.inputs, params: params)
        } else if case .batchNorm(let eps) = node.op {
            if let producer = node.inputs.first, foldInto[producer] == node.id {
                rebuilder.forward(node.id, to: producer)
            } else {
                rebuilder.emit(replacing: node.id, op: .scaleShift, inputs: node.inputs,
                               params: scaleAndShift(node, eps: eps))
            }
            rewrites += 1
        } else {
            rebuilder.copy(node.id)
        }
    }
    return PassResult(graph: rebuilder.finish(), rewrites: rewrites)
}

/// A conv or linear with no epilogue yet.
private func isFoldable(_ node: Node) -> Bool {
    switch node.op {
    case .conv(let a): return a.epilogue == Epilogue()
    case .linear(let a): return a.activation == .identity
    default: return false
    }
}

/// Per-channel `scale = γ / √(var + ε)` and `shift = β − mean · scale`, in Double; nil while the
/// batch norm's parameters are not bound (the verifier accepts such graphs).
private func normalization(_ bn: Node, eps: Double) -> (scale: [Double], shift: [Double])? {
    guard let gamma = bn.params["weight"]?.data, let beta = bn.params["bias"]?.data,
          let mean = bn.params["running_mean"]?.data, let variance = bn.params["running_var"]?.data else {
        return nil
    }
    var scale = [Double](repeating: 0, count: gamma.count), shift = scale
    for c in gamma.indices {
        scale[c] = Double(gamma[c]) / (Double(variance[c]) + eps).squareRoot()
        shift[c] = Double(beta[c]) - Double(mean[c]) * scale[c]
    }
    return (scale, shift)
}

/// The `scale_shift` params equivalent to a batch norm (none if it is unbound).
private func scaleAndShift(_ bn: Node, eps: Double) -> [String: Tensor] {
    guard let norm = normalization(bn, eps: eps) else { return [:] }
    return ["scale": Tensor(shape: [norm.scale.count], data: norm.scale.map { Float($0) }),
            "shift": Tensor(shape: [norm.shift.count], data: norm.shift.map { Float($0) })]
}

/// The producer's op and params with the batch norm applied to every output channel. In a graph
/// whose weights are not bound yet only the op changes (it gains a bias) and params stay empty.
private func folded(_ layer: Node, into bn: Node) -> (Op, [String: Tensor]) {
    guard case .batchNorm(let eps) = bn.op else { preconditionFailure("not a batch norm") }
    var op = layer.op
    switch op {
    case .conv(var a): a.hasBias = true; op = .conv(a)
    case .linear(var a): a.hasBias = true; op = .linear(a)
    default: break
    }
    guard let norm = normalization(bn, eps: eps), let weight = layer.params["weight"] else {
        return (op, [:])
    }
    let (scale, shift) = norm
    let channels = weight.shape[0], perChannel = weight.count / channels
    var newWeight = weight
    for o in 0..<channels {
        for i in 0..<perChannel {
            newWeight.data[o * perChannel + i] = Float(Double(weight.data[o * perChannel + i]) * scale[o])
        }
    }
    let oldBias = layer.params["bias"]?.data
    let newBias = (0..<channels).map { o in Float(Double(oldBias?[o] ?? 0) * scale[o] + shift[o]) }
    return (op, ["weight": newWeight, "bias": Tensor(shape: [channels], data: newBias)])
}
