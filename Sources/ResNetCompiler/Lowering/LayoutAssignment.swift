// Layout assignment: which activation values the plan stores nChw16c. Every value that may be
// blocked starts blocked; values are then demoted to nchw until every step keeps LayoutRules.
// Demotion only goes one way, so the loop reaches a fixed point (each pass demotes a value or ends).
import ResNetRuntime

enum LayoutAssignment {
    /// The layout of each memory-graph value. `steps[i]` is the step computing `order[i]`, bound
    /// with nchw refs at their final offsets (`isPointwisePrefix` depends on them); `shapes` is
    /// each value's shape.
    static func assign(steps: [Step], order: [Int], memory: MemoryGraph, shapes: [[Int]]) -> [TensorLayout] {
        let pinned = nchwValues(memory)
        var blocked = shapes.indices.map { !pinned.contains($0) && LayoutRules.canBlock(shape: shapes[$0]) }
        for (step, id) in zip(steps, order) where !mayBlockOutput(step) { blocked[id] = false }
        // An nchw conv reads its input blocked (the blocked kernels compute it, a reorder
        // finishes it) when the runtime allows it and that input is itself computed from a
        // blocked value: so one nchw-only reader does not demote every value up to the stem,
        // yet a blocked value between two nchw ones is not kept (measured when option-A
        // residuals were nchw-only: CIFAR stages whose first conv read nchw through the blocked
        // kernels' generic tile ran 1.4-1.6x slower than all-nchw ones).
        func unblocks(_ step: Step, _ input: Int?) -> Bool {
            guard let input, LayoutRules.convMayUnblock(step), let source = memory.nodes[input].inputs.first else { return false }
            return blocked[input] && blocked[source]
        }
        var changed = true
        while changed {
            changed = false
            func demote(_ ids: [Int]) {
                for id in ids where blocked[id] {
                    blocked[id] = false
                    changed = true
                }
            }
            for (step, id) in zip(steps, order) {
                let inputs = memory.nodes[id].inputs
                let residual = step.epilogue.residual != nil && inputs.count > 1 ? inputs.last : nil
                let main = residual == nil ? inputs : Array(inputs.dropLast())
                switch step.op {
                case .conv2d(let p) where LayoutRules.isBlockedDepthwise(step, p):
                    // The blocked depthwise kernel reads and writes blocked.
                    if let input = main.first, blocked[input] != blocked[id] { demote([input, id]) }
                case .conv2d:
                    if !blocked[id] && !unblocks(step, main.first) {
                        demote(Array(main.prefix(1)))
                    } else if PlanValidator.isPointwisePrefix(step), let input = main.first, !blocked[input] {
                        demote([id])   // in place over an nchw input: nchw too
                    }
                case .globalAvgPool:
                    break
                case .maxPool, .add, .activation, .copy, .scaleShift:
                    if !(main + [id]).allSatisfy({ blocked[$0] }) { demote(main + [id]) }
                case .linear, .avgPool, .softmax, .shortcutA:
                    demote(main + [id])
                }
                if let residual, blocked[residual] != blocked[id] { demote([residual, id]) }
            }
        }
        return blocked.map { $0 ? .nChw16c : .nchw }
    }

    /// Whether the op itself allows a blocked output (operands aside).
    static func mayBlockOutput(_ step: Step) -> Bool {
        switch step.op {
        case .conv2d(let p):
            if LayoutRules.isBlockedDepthwise(step, p) { return !PlanValidator.isPointwisePrefix(step) }
            return p.groups == 1 && !(PlanValidator.isPointwisePrefix(step) && step.epilogue.residual != nil)
        case .maxPool, .add, .activation, .copy, .scaleShift:
            // Only a conv makes an option-A residual blocked (LayoutRules).
            if case .shortcutA = step.epilogue.residual { return false }
            return true
        case .globalAvgPool, .linear, .avgPool, .softmax, .shortcutA: return false
        }
    }

    /// Values that stay nchw whatever their readers: model inputs and outputs, views (flatten,
    /// dropout) and every value whose memory a view shares.
    static func nchwValues(_ memory: MemoryGraph) -> Set<Int> {
        var pinned = Set(memory.outputs)
        for (id, node) in memory.nodes.enumerated() {
            switch node.kind {
            case .input: pinned.insert(id)
            case .alias: pinned.formUnion([id] + node.inputs)
            case .step: break
            }
        }
        return pinned
    }
}
