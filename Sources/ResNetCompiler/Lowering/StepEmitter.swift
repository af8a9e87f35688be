// One graph node → one plan step (op, weights, epilogue); arena operands are filled in later,
// once the memory planner has placed every value.
import ResNetRuntime

/// Packs weights into one blob, each tensor starting 16-float (64-byte) aligned.
struct WeightBlob {
    private(set) var floats: [Float] = []

    /// Appends `data` at the next aligned offset and returns where it went.
    mutating func append(_ data: [Float]) -> WeightRef {
        floats.append(contentsOf: [Float](repeating: 0, count: BufferAssignment.aligned(floats.count) - floats.count))
        let ref = WeightRef(offset: floats.count, count: data.count)
        floats.append(contentsOf: data)
        return ref
    }
}

/// Builds the step for each computing node; `inputs` and `output` are left empty for the caller.
enum StepEmitter {
    /// The step's name: the layer name, or `<op>_<id>` for unnamed nodes.
    static func stepName(_ node: Node) -> String {
        node.name.isEmpty ? "\(node.op.mnemonic)_\(node.id)" : node.name
    }

    /// The step for `node` (nil for inputs and views), appending its weights to `blob`.
    /// Throws when a parameter the op needs is missing.
    static func step(for node: Node, in graph: Graph, blob: inout WeightBlob) throws(LoweringError) -> Step? {
        let shapes = node.op.parameterShapes(inputs: node.inputs.map { graph.nodes[$0].shape })
        for (name, _) in shapes where node.params[name] == nil {
            throw LoweringError("missing parameter \(node.key(name))")
        }
        // Parameters were checked just above, so the subscripts below cannot fail.
        func weight(_ key: String) -> [Float] { node.params[key]!.data }
        let placeholder = TensorRef(offset: 0, shape: node.shape)
        func make(_ op: StepOp, weights: [WeightRef] = [], epilogue: Epilogue = Epilogue()) -> Step {
            Step(name: stepName(node), op: op, inputs: [], output: placeholder, weights: weights, epilogue: epilogue)
        }
        switch node.op {
        case .input, .flatten, .dropout:
            return nil
        case .conv(let a):
            var w = [blob.append(weight("weight"))]
            if a.hasBias { w.append(blob.append(weight("bias"))) }
            let params = Conv2DParams(kernel: a.kernel, stride: a.stride, padding: a.padding,
                                      dilation: a.dilation, groups: a.groups, hasBias: a.hasBias)
            return make(.conv2d(params), weights: w, epilogue: a.epilogue)
        case .batchNorm(let eps):
            let (scale, shift) = foldBatchNorm(weight("weight"), weight("bias"), weight("running_mean"),
                                               weight("running_var"), eps: eps)
            return make(.scaleShift, weights: [blob.append(scale), blob.append(shift)])
        case .scaleShift:
            return make(.scaleShift, weights: [blob.append(weight("scale")), blob.append(weight("shift"))])
        case .activation(let act):
            return make(.activation, epilogue: Epilogue(activation: act))
        case .linear(let a):
            var w = [blob.append(weight("weight"))]
            if a.hasBias { w.append(blob.append(weight("bias"))) }
            return make(.linear(hasBias: a.hasBias), weights: w, epilogue: Epilogue(activation: a.activation))
        case .add: return make(.add)
        case .maxPool(let p): return make(.maxPool(p))
        case .avgPool(let p): return make(.avgPool(p))
        case .globalAvgPool: return make(.globalAvgPool)
        case .softmax: return make(.softmax)
        case .shortcutA(_, let s): return make(.shortcutA(stride: s))
        }
    }

    /// Eval batch norm as `x · scale + shift`, computed in Double so folding adds no error.
    static func foldBatchNorm(_ g: [Float], _ b: [Float], _ m: [Float], _ v: [Float],
                              eps: Double) -> (scale: [Float], shift: [Float]) {
        let scale = g.indices.map { Double(g[$0]) / (Double(v[$0]) + eps).squareRoot() }
        let shift = g.indices.map { Double(b[$0]) - Double(m[$0]) * scale[$0] }
        return (scale.map { Float($0) }, shift.map { Float($0) })
    }
}
