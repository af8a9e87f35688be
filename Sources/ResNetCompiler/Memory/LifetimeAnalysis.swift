// Lifetimes of a MemoryGraph's buffers under one step order: first write, last read, what must
// survive, and the operand each step may overwrite in place.
import ResNetRuntime

/// Builds the `BufferLifetime`s the planner places, for one order of the steps.
enum LifetimeAnalysis {
    /// One lifetime per memory root (inputs and steps; aliases share their root's), ids = node ids,
    /// then one per step that needs scratch memory.
    /// `order` lists every step id once, inputs before readers.
    static func lifetimes(_ graph: MemoryGraph, order: [Int], options: MemoryOptions) -> [BufferLifetime] {
        var position = [Int](repeating: -1, count: graph.nodes.count)
        for (index, id) in order.enumerated() { position[id] = index }
        var last = position
        for (index, id) in order.enumerated() {
            for r in graph.operandRoots(id) { last[r] = max(last[r], index) }
        }
        for id in survivors(graph, options: options) { last[id] = Int.max }
        var values: [BufferLifetime] = []
        for (id, node) in graph.nodes.enumerated() where node.kind != .alias {
            var value = BufferLifetime(id: id, size: node.size, firstStep: position[id], lastStep: last[id])
            if case .step(let rule) = node.kind {
                value.inPlaceOver = inPlaceTarget(graph, step: id, rule: rule, at: position[id], last: last)
            }
            values.append(value)
        }
        // Scratch of the step at `index` lives for that step only; id = node count + step id.
        for (index, id) in order.enumerated() where graph.nodes[id].scratch > 0 {
            values.append(BufferLifetime(id: scratchID(graph, step: id), size: graph.nodes[id].scratch,
                                         firstStep: index, lastStep: index))
        }
        return values
    }

    /// The lifetime id of a step's scratch buffer.
    static func scratchID(_ graph: MemoryGraph, step: Int) -> Int { graph.nodes.count + step }

    /// Roots that must live to the end: outputs, and inputs unless their memory may be reused.
    static func survivors(_ graph: MemoryGraph, options: MemoryOptions) -> Set<Int> {
        var kept = Set(graph.outputs.map(graph.root))
        if !options.reuseInputMemory {
            for (id, node) in graph.nodes.enumerated() where node.kind == .input { kept.insert(id) }
        }
        return kept
    }

    /// The operand root `step` may overwrite: allowed by its rule, a step's value (never a model
    /// input), the same size (or, for `firstOperandPrefix`, no smaller), and read for the last
    /// time by this step.
    static func inPlaceTarget(_ graph: MemoryGraph, step: Int, rule: InPlaceRule, at index: Int,
                              last: [Int], roots: [Int]? = nil) -> Int? {
        let roots = roots ?? graph.operandRoots(step)
        let candidates: [Int]
        switch rule {
        case .never: candidates = []
        case .firstOperand, .firstOperandPrefix: candidates = Array(roots.prefix(1))
        case .anyOperand: candidates = roots
        case .lastOperandExclusive:
            guard let lastRoot = roots.last, !roots.dropLast().contains(lastRoot) else { return nil }
            candidates = [lastRoot]
        }
        return candidates.first { u in
            guard case .step = graph.nodes[u].kind else { return false }
            let fits = rule == .firstOperandPrefix ? graph.nodes[u].size >= graph.nodes[step].size
                                                   : graph.nodes[u].size == graph.nodes[step].size
            return fits && last[u] == index
        }
    }
}
