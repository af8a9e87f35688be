// Graph → Plan: one step per computing node, activations placed by the memory planner (or one
// buffer per value) and given layouts (LayoutAssignment), weights packed into one aligned blob,
// planner figures in the metadata.
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
    /// Lowers `graph`; `metadata` entries are added to (and override) network, params, flops and
    /// the memory figures.
    public static func lower(_ graph: Graph, metadata: [String: String] = [:],
                             options: LoweringOptions = .init()) throws(LoweringError) -> LoweredModel {
        do throws(VerifyError) { try Verifier.verify(graph) } catch { throw LoweringError(error.message) }
        var blob = WeightBlob()
        var templates: [Int: Step] = [:]
        for node in graph.nodes {
            templates[node.id] = try StepEmitter.step(for: node, in: graph, blob: &blob)
        }
        let (layout, steps, layouts) = placeAndBind(graph, templates: templates, options: options)
        let memory = layout.memory.graph
        let ref = { (id: Int) in
            TensorRef(offset: layout.offsets[id], shape: shape(of: id, graph: graph, memory: memory),
                      layout: layouts?[id] ?? .nchw)
        }
        let outputs = graph.outputs.enumerated().map { index, output in
            TensorBinding(name: output.name, tensor: ref(layout.memory.copies[index] ?? output.node))
        }
        let inputs = graph.inputIDs.map { id in
            TensorBinding(name: graph.nodes[id].name.isEmpty ? "input_\(id)" : graph.nodes[id].name, tensor: ref(id))
        }
        var meta = ["network": graph.name, "params": String(graph.parameterCount), "flops": String(graph.flops)]
        meta.merge(layout.figures) { _, figure in figure }
        if layouts != nil { meta["blocked_tensors"] = String(blockedCount(layouts)) }
        meta.merge(metadata) { _, caller in caller }
        let plan = Plan(name: graph.name, inputs: inputs, outputs: outputs, arenaFloats: layout.arenaFloats,
                        weightFloats: blob.floats.count, steps: steps, metadata: meta)
        return LoweredModel(plan: plan, weights: blob.floats)
    }

    /// The planner's layout for `graph` without lowering it (no parameters needed): for reports
    /// and for sizing networks before their weights exist. Node ids are the graph's, then one
    /// `copy_<output>` node per output that needs its own copy.
    public static func planMemory(_ graph: Graph, options: MemoryOptions = .init()) -> MemoryLayout {
        let memory = MemoryGraphBuilder.build(graph, options: options)
        return MemoryLayout.plan(memory.graph, options: options)
    }

    /// The step order, offsets and figures chosen by the strategy.
    struct ActivationLayout {
        var memory: LoweringMemoryGraph
        var order: [Int]
        var offsets: [Int]
        var arenaFloats: Int
        var figures: [String: String]
    }

    static func placeActivations(_ graph: Graph, options: LoweringOptions.Memory) -> ActivationLayout {
        switch options {
        case .planned(let memoryOptions):
            let memory = MemoryGraphBuilder.build(graph, options: memoryOptions)
            let layout = MemoryLayout.plan(memory.graph, options: memoryOptions)
            return ActivationLayout(memory: memory, order: layout.order, offsets: layout.offsets,
                                    arenaFloats: layout.plan.arenaSize,
                                    figures: MemoryFigures.metadata(layout, graph: memory.graph, planner: "planned"))
        case .oneBufferPerValue:
            let memory = MemoryGraphBuilder.build(graph, options: MemoryOptions(allowConvResidualInPlace: false, allowPointwiseConvInPlace: false))
            let reference = MemoryGraphBuilder.oneBufferPerValue(memory.graph)
            var layout = MemoryLayout.evaluate(memory.graph, candidate: .init(name: "original", order: reference.order),
                                               options: MemoryOptions(reuseInputMemory: false, allowConvResidualInPlace: false,
                                                                                   allowPointwiseConvInPlace: false, reorderSteps: false))
            layout.plan.arenaSize = reference.arenaFloats
            return ActivationLayout(memory: memory, order: reference.order, offsets: reference.offsets,
                                    arenaFloats: reference.arenaFloats,
                                    figures: MemoryFigures.metadata(layout, graph: memory.graph,
                                                                    planner: "one-buffer-per-value"))
        }
    }

    /// The shape of a node's value (copy nodes have their source's shape).
    static func shape(of id: Int, graph: Graph, memory: MemoryGraph) -> [Int] {
        id < graph.nodes.count ? graph.nodes[id].shape : shape(of: memory.nodes[id].inputs[0], graph: graph, memory: memory)
    }

    /// Fills in a step's arena operands (nchw unless `layouts` gives each value's layout); a node
    /// without a template is an output copy.
    static func bind(_ template: Step?, id: Int, graph: Graph, memory: MemoryGraph, offsets: [Int],
                     layouts: [TensorLayout]?) -> Step {
        let ref = { (id: Int) in
            TensorRef(offset: offsets[id], shape: shape(of: id, graph: graph, memory: memory), layout: layouts?[id] ?? .nchw)
        }
        let node = memory.nodes[id]
        var step = template ?? Step(name: node.name, op: .copy, inputs: [], output: ref(id))
        step.inputs = node.inputs.map(ref)
        step.output = ref(id)
        return step
    }
}
