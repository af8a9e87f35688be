// An independent check of a lowered plan's arena: lifetimes rebuilt from the graph and the plan's
// step order, then every pair of values live at the same step must use disjoint memory, except
// an elementwise step (or, when the options allow it, a conv) writing over an operand it reads
// last: exactly over an identity residual, or over the start of a pointwise conv's input.
import ResNetCompiler
import ResNetRuntime

enum ArenaOverlapChecker {
    struct Value {
        var name: String
        var range: Range<Int>
        var first: Int
        var last: Int
        var isInput: Bool
    }

    /// Descriptions of every illegal overlap (empty when the plan is sound).
    static func conflicts(graph: Graph, plan: Plan, options: MemoryOptions) -> [String] {
        let values = lifetimes(graph: graph, plan: plan, inputsKept: !options.reuseInputMemory)
        var problems: [String] = []
        for (i, v) in values.enumerated() {
            for w in values[(i + 1)...] where v.first <= w.last && w.first <= v.last && v.range.overlaps(w.range) {
                let (early, late) = v.first <= w.first ? (v, w) : (w, v)
                if inPlaceAllowed(over: early, by: late, plan: plan, options: options) { continue }
                problems.append("\(v.name) \(v.range) [\(v.first), \(v.last)] overlaps \(w.name) \(w.range) [\(w.first), \(w.last)]")
            }
        }
        return problems
    }

    /// One value per input, step output and output copy, with its lifetime under the plan's order.
    static func lifetimes(graph: Graph, plan: Plan, inputsKept: Bool) -> [Value] {
        func root(_ id: Int) -> Int {
            switch graph.nodes[id].op {
            case .flatten, .dropout: return root(graph.nodes[id].inputs[0])
            default: return id
            }
        }
        func stepName(_ node: Node) -> String { node.name.isEmpty ? "\(node.op.mnemonic)_\(node.id)" : node.name }
        let index = Dictionary(uniqueKeysWithValues: plan.steps.enumerated().map { ($1.name, $0) })
        let end = Int.max
        var values: [Int: Value] = [:]
        for (k, id) in graph.inputIDs.enumerated() {
            let t = plan.inputs[k].tensor
            values[id] = Value(name: stepName(graph.nodes[id]), range: t.offset..<t.offset + t.count, first: -1,
                               last: inputsKept ? end : -1, isInput: true)
        }
        for node in graph.nodes where root(node.id) == node.id && node.op != .input {
            let s = index[stepName(node)]!
            let t = plan.steps[s].output
            values[node.id] = Value(name: stepName(node), range: t.offset..<t.offset + t.count, first: s, last: s, isInput: false)
        }
        for node in graph.nodes where root(node.id) == node.id && node.op != .input {
            for input in node.inputs {
                let r = root(input)
                values[r]!.last = max(values[r]!.last, index[stepName(node)]!)
            }
        }
        var all = Array(values.values)
        for (k, output) in graph.outputs.enumerated() {
            if let copy = index["copy_\(output.name)"] {
                let t = plan.steps[copy].output
                all.append(Value(name: "copy_\(output.name)", range: t.offset..<t.offset + t.count, first: copy, last: end, isInput: false))
                let r = root(output.node)
                if let i = all.firstIndex(where: { $0.name == values[r]!.name }) { all[i].last = max(all[i].last, copy) }
            } else {
                let r = root(output.node)
                if let i = all.firstIndex(where: { $0.name == values[r]!.name }) { all[i].last = end }
                _ = k
            }
        }
        return all.sorted { ($0.first, $0.name) < ($1.first, $1.name) }
    }

    /// In place: `late` is written by the step that reads `early` for the last time, the step's
    /// kernel allows it, and `early` is not a model input (unless inputs may be reused). Exactly
    /// the same floats for elementwise steps and conv residuals; the start of the input for a
    /// pointwise conv.
    static func inPlaceAllowed(over early: Value, by late: Value, plan: Plan, options: MemoryOptions) -> Bool {
        guard !early.isInput || options.reuseInputMemory, early.last == late.first else { return false }
        let step = plan.steps[late.first]
        let reads = step.inputs.contains { $0.offset == early.range.lowerBound }
        switch step.op {
        case .scaleShift, .activation, .add, .softmax: return reads && early.range == late.range
        case .conv2d:
            if options.allowPointwiseConvInPlace, PlanValidator.isPointwisePrefix(step) {
                return step.inputs[0].offset == early.range.lowerBound && late.range.count <= early.range.count
                    && late.range.lowerBound == early.range.lowerBound
            }
            guard options.allowConvResidualInPlace, early.range == late.range, step.epilogue.residual == .identity,
                  let residual = step.inputs.last else { return false }
            return residual.offset == early.range.lowerBound && step.inputs[0].offset != residual.offset
        default: return false
        }
    }
}
