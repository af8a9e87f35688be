// Graph → Plan: arena placement, one step per computing node, weights packed into one aligned blob.
import ResNetRuntime

/// A lowered network: the plan and the weight blob its WeightRefs index.
public struct LoweredModel: Sendable {
    /// Steps and arena layout.
    public var plan: Plan
    /// All weights, each starting at a 16-float-aligned offset.
    public var weights: [Float]
}

/// Turns a verified graph with bound parameters into a Plan.
public enum Lowering {
    /// Lowers `graph`; `metadata` entries are added to (and override) network, params and flops.
    public static func lower(_ graph: Graph, metadata: [String: String] = [:]) throws(LoweringError) -> LoweredModel {
        do throws(VerifyError) { try Verifier.verify(graph) } catch { throw LoweringError(error.message) }
        let buffers = BufferAssignment.oneBufferPerValue(graph)
        var arenaFloats = buffers.arenaFloats
        var blob: [Float] = []
        func ref(_ id: Int) -> TensorRef { TensorRef(offset: buffers.offsets[id], shape: graph.nodes[id].shape) }
        func append(_ data: [Float]) -> WeightRef {
            blob.append(contentsOf: [Float](repeating: 0, count: BufferAssignment.aligned(blob.count) - blob.count))
            let r = WeightRef(offset: blob.count, count: data.count)
            blob.append(contentsOf: data)
            return r
        }
        var steps: [Step] = []
        for node in graph.nodes {
            let shapes = node.op.parameterShapes(inputs: node.inputs.map { graph.nodes[$0].shape })
            for (name, _) in shapes where node.params[name] == nil {
                throw LoweringError("missing parameter \(node.key(name))")
            }
            let name = node.name.isEmpty ? "\(node.op.mnemonic)_\(node.id)" : node.name
            let inputs = node.inputs.map(ref)
            let out = ref(node.id)
            let step: Step?
            switch node.op {
            case .input, .flatten, .dropout:
                step = nil
            case .conv(let a):
                var w = [append(node.params["weight"]!.data)]
                if a.hasBias { w.append(append(node.params["bias"]!.data)) }
                step = Step(name: name, op: .conv2d(Conv2DParams(kernel: a.kernel, stride: a.stride, padding: a.padding,
                    dilation: a.dilation, groups: a.groups, hasBias: a.hasBias)), inputs: inputs, output: out,
                    weights: w, epilogue: a.epilogue)
            case .batchNorm(let eps):
                let p = node.params
                let (g, b, m, v) = (p["weight"]!.data, p["bias"]!.data, p["running_mean"]!.data, p["running_var"]!.data)
                let scale = g.indices.map { Double(g[$0]) / (Double(v[$0]) + eps).squareRoot() }
                let shift = g.indices.map { Double(b[$0]) - Double(m[$0]) * scale[$0] }
                step = Step(name: name, op: .scaleShift, inputs: inputs, output: out,
                            weights: [append(scale.map { Float($0) }), append(shift.map { Float($0) })])
            case .scaleShift:
                step = Step(name: name, op: .scaleShift, inputs: inputs, output: out,
                            weights: [append(node.params["scale"]!.data), append(node.params["shift"]!.data)])
            case .activation(let act):
                step = Step(name: name, op: .activation, inputs: inputs, output: out, epilogue: Epilogue(activation: act))
            case .linear(let a):
                var w = [append(node.params["weight"]!.data)]
                if a.hasBias { w.append(append(node.params["bias"]!.data)) }
                step = Step(name: name, op: .linear(hasBias: a.hasBias), inputs: inputs, output: out, weights: w,
                            epilogue: Epilogue(activation: a.activation))
            case .add: step = Step(name: name, op: .add, inputs: inputs, output: out)
            case .maxPool(let p): step = Step(name: name, op: .maxPool(p), inputs: inputs, output: out)
            case .avgPool(let p): step = Step(name: name, op: .avgPool(p), inputs: inputs, output: out)
            case .globalAvgPool: step = Step(name: name, op: .globalAvgPool, inputs: inputs, output: out)
            case .softmax: step = Step(name: name, op: .softmax, inputs: inputs, output: out)
            case .shortcutA(_, let s): step = Step(name: name, op: .shortcutA(stride: s), inputs: inputs, output: out)
            }
            if let step { steps.append(step) }
        }
        // Outputs whose storage is an input's or an earlier output's get their own copy.
        let inputOffsets = Set(graph.inputIDs.map { buffers.offsets[$0] })
        var claimed: Set<Int> = []
        var outputs: [TensorBinding] = []
        for output in graph.outputs {
            var r = ref(output.node)
            if inputOffsets.contains(r.offset) || claimed.contains(r.offset) {
                let copy = TensorRef(offset: arenaFloats, shape: r.shape)
                arenaFloats += BufferAssignment.aligned(r.count)
                steps.append(Step(name: "copy_\(output.name)", op: .copy, inputs: [r], output: copy))
                r = copy
            }
            claimed.insert(r.offset)
            outputs.append(TensorBinding(name: output.name, tensor: r))
        }
        let inputs = graph.inputIDs.map { id in
            TensorBinding(name: graph.nodes[id].name.isEmpty ? "input_\(id)" : graph.nodes[id].name, tensor: ref(id))
        }
        var meta = ["network": graph.name, "params": String(graph.parameterCount), "flops": String(graph.flops)]
        meta.merge(metadata) { _, caller in caller }
        let plan = Plan(name: graph.name, inputs: inputs, outputs: outputs, arenaFloats: arenaFloats,
                        weightFloats: blob.count, steps: steps, metadata: meta)
        return LoweredModel(plan: plan, weights: blob)
    }
}
