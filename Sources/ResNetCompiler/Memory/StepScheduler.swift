// Candidate step orders for the memory planner: the graph's own order and greedy list schedules
// that run, among the ready steps, the one that grows live memory the least.

/// Valid topological orders of a MemoryGraph's steps.
enum StepScheduler {
    /// A named order of step ids.
    struct Candidate {
        var name: String
        var order: [Int]
    }

    /// The orders to try, the graph's own first (it wins ties, so reordering only happens when
    /// it helps). Deterministic.
    static func candidates(_ graph: MemoryGraph, options: MemoryOptions) -> [Candidate] {
        var result = [Candidate(name: "original", order: graph.stepIDs)]
        guard options.reorderSteps else { return result }
        for (name, preferRecent) in [("greedy", false), ("greedy-depth-first", true)] {
            let order = greedy(graph, options: options, preferRecent: preferRecent)
            if !result.contains(where: { $0.order == order }) { result.append(Candidate(name: name, order: order)) }
        }
        // Local search is the expensive part: polish only the candidate that starts lowest.
        let cost = OrderCost(graph, options: options)
        let costs = result.map { cost.cost($0.order) }
        let start = result[costs.indices.min { (costs[$0].peak, costs[$0].area, $0) < (costs[$1].peak, costs[$1].area, $1) } ?? 0]
        let moved = StepMover.improve(graph, order: start.order, options: options)
        if !result.contains(where: { $0.order == moved }) {
            result.append(Candidate(name: start.name + "+moves", order: moved))
        }
        return result
    }

    /// List scheduling: repeatedly run the ready step with the smallest growth of live memory
    /// (its output, unless it can overwrite a dying operand, minus the operands it frees).
    /// Ties go to the lowest id, or with `preferRecent` to the step that became ready last,
    /// which finishes one branch before starting another.
    static func greedy(_ graph: MemoryGraph, options: MemoryOptions, preferRecent: Bool) -> [Int] {
        let readers = graph.readersOfRoots()
        let kept = LifetimeAnalysis.survivors(graph, options: options)
        var remainingReaders = readers.map(\.count)
        var missing = [Int](repeating: 0, count: graph.nodes.count)
        var dependents = [[Int]](repeating: [], count: graph.nodes.count)
        for id in graph.stepIDs {
            for r in Set(graph.operandRoots(id)) where graph.nodes[r].kind != .input {
                missing[id] += 1
                dependents[r].append(id)
            }
        }
        var ready = graph.stepIDs.filter { missing[$0] == 0 }
        var readyTime = [Int](repeating: 0, count: graph.nodes.count)
        var order: [Int] = []
        while !ready.isEmpty {
            let growth = ready.map { memoryGrowth(graph, step: $0, remaining: remainingReaders, kept: kept, options: options) }
            var best = 0
            for i in ready.indices.dropFirst() {
                let better = preferRecent
                    ? (growth[i], -readyTime[ready[i]], ready[i]) < (growth[best], -readyTime[ready[best]], ready[best])
                    : (growth[i], ready[i]) < (growth[best], ready[best])
                if better { best = i }
            }
            let step = ready.remove(at: best)
            order.append(step)
            for r in Set(graph.operandRoots(step)) { remainingReaders[r] -= 1 }
            for d in dependents[step] {
                missing[d] -= 1
                if missing[d] == 0 {
                    ready.append(d)
                    readyTime[d] = order.count
                }
            }
        }
        return order
    }

    /// Live floats added by running `step` now (negative when it frees more than it writes).
    static func memoryGrowth(_ graph: MemoryGraph, step: Int, remaining: [Int], kept: Set<Int>,
                             options: MemoryOptions) -> Int {
        let roots = graph.operandRoots(step)
        let dying = Set(roots).filter { remaining[$0] == 1 && !kept.contains($0) }
        let freed = dying.reduce(0) { $0 + options.aligned(graph.nodes[$1].size) }
        var written = options.aligned(graph.nodes[step].size)
        if case .step(let rule) = graph.nodes[step].kind, rule != .never,
           dying.contains(where: { graph.nodes[$0].size == graph.nodes[step].size && graph.nodes[$0].kind != .input }) {
            written = 0
        }
        return written - freed
    }
}
