// Placing values and binding steps: the memory planner's offsets, then (with blockedLayout) the
// layout assignment, placing again without pointwise in-place convs when those cost blocking.
import ResNetRuntime

extension Lowering {
    /// The activation layout, the steps bound to it, and each value's layout (nil: all nchw).
    static func placeAndBind(_ graph: Graph, templates: [Int: Step], options: LoweringOptions)
        -> (layout: ActivationLayout, steps: [Step], layouts: [TensorLayout]?) {
        let first = placeAndBind(graph, templates: templates, memory: options.memory, blocked: options.blockedLayout)
        // A pointwise conv written over its own input writes nchw, and the demotion spreads back
        // through its producers (in ResNet-50 from each stage's first conv1 to the stem). When such
        // a conv could have been blocked, place again without that in-place rule and keep
        // whichever placement blocks more values.
        guard options.blockedLayout, case .planned(var memoryOptions) = options.memory,
              memoryOptions.allowPointwiseConvInPlace,
              first.steps.contains(where: { PlanValidator.isPointwisePrefix($0) && LayoutRules.canBlock(shape: $0.output.shape) })
        else { return first }
        memoryOptions.allowPointwiseConvInPlace = false
        let second = placeAndBind(graph, templates: templates, memory: .planned(memoryOptions), blocked: true)
        return blockedCount(second.layouts) > blockedCount(first.layouts) ? second : first
    }

    private static func placeAndBind(_ graph: Graph, templates: [Int: Step], memory options: LoweringOptions.Memory,
                                     blocked: Bool) -> (layout: ActivationLayout, steps: [Step], layouts: [TensorLayout]?) {
        let layout = placeActivations(graph, options: options)
        let memory = layout.memory.graph
        let bindAll = { (layouts: [TensorLayout]?) in
            layout.order.map { id in
                bind(templates[id], id: id, graph: graph, memory: memory, offsets: layout.offsets, layouts: layouts)
            }
        }
        let plain = bindAll(nil)
        guard blocked else { return (layout, plain, nil) }
        let shapes = memory.nodes.indices.map { shape(of: $0, graph: graph, memory: memory) }
        let layouts = LayoutAssignment.assign(steps: plain, order: layout.order, memory: memory, shapes: shapes)
        return (layout, bindAll(layouts), layouts)
    }

    /// How many values `layouts` blocks.
    static func blockedCount(_ layouts: [TensorLayout]?) -> Int {
        layouts?.filter { $0 == .nChw16c }.count ?? 0
    }
}
