// Local search over step orders: move one step earlier or later (within its dependencies) when
// that lowers the peak of live memory — e.g. a block's projection shortcut before its main path.

/// Improves an order by single-step moves, judged by (peak live floats, summed live floats).
enum StepMover {
    /// Sweeps of the whole order at most (each sweep tries every step at every legal position).
    static let maxSweeps = 4

    /// `order` with moves applied while any lowers the cost. Deterministic: steps are tried in
    /// order, positions from earliest to latest, and only strict improvements are kept.
    static func improve(_ graph: MemoryGraph, order: [Int], options: MemoryOptions) -> [Int] {
        var order = order
        var best = cost(graph, order, options)
        for _ in 0..<maxSweeps {
            var improved = false
            for step in order {
                guard let from = order.firstIndex(of: step) else { continue }
                let window = legalPositions(graph, order: order, index: from)
                for to in window where to != from {
                    var trial = order
                    trial.remove(at: from)
                    trial.insert(step, at: to)
                    let c = cost(graph, trial, options)
                    if c < best {
                        (order, best, improved) = (trial, c, true)
                        break
                    }
                }
            }
            if !improved { break }
        }
        return order
    }

    /// Positions (in the order without the step) where the step at `index` can go: after every
    /// step whose value it reads, before every step that reads its value.
    static func legalPositions(_ graph: MemoryGraph, order: [Int], index: Int) -> ClosedRange<Int> {
        let step = order[index]
        let inputs = Set(graph.operandRoots(step))
        var low = 0, high = order.count - 1
        for (i, other) in order.enumerated() where i != index {
            let j = i < index ? i : i - 1  // position of `other` once the step is removed
            if inputs.contains(other) { low = max(low, j + 1) }
            if graph.operandRoots(other).contains(step) { high = min(high, j) }
        }
        return low...max(low, high)
    }

    /// Peak and summed live floats of an order, with in-place pairs counted once.
    static func cost(_ graph: MemoryGraph, _ order: [Int], _ options: MemoryOptions) -> (peak: Int, area: Int) {
        let values = LifetimeAnalysis.lifetimes(graph, order: order, options: options).map { v -> BufferLifetime in
            var v = v
            v.size = options.aligned(v.size)
            return v
        }
        let groups = MemoryPlanner.mergeInPlace(values).map(\.lifetime)
        let peak = MemoryPlanner.peakUsage(groups).size
        let end = order.count
        let area = groups.reduce(0) { $0 + $1.size * (min($1.lastStep, end) - max($1.firstStep, -1) + 1) }
        return (peak, area)
    }
}
