// Local search over step orders: move one step earlier or later (within its dependencies) when
// that lowers the peak of live memory — e.g. a block's projection shortcut before its main path.
import ResNetRuntime

/// Improves an order by single-step moves, judged by (peak live floats, summed live floats).
enum StepMover {
    /// Sweeps of the whole order at most (each sweep tries every step at every legal position).
    static let maxSweeps = 4

    /// `order` with moves applied while any lowers the cost. Deterministic: steps are tried in
    /// order, positions from earliest to latest, and only strict improvements are kept.
    static func improve(_ graph: MemoryGraph, order: [Int], options: MemoryOptions) -> [Int] {
        let evaluator = OrderCost(graph, options: options)
        var order = order
        var best = evaluator.cost(order)
        for _ in 0..<maxSweeps {
            var improved = false
            for step in order {
                guard let from = order.firstIndex(of: step) else { continue }
                for to in evaluator.legalPositions(order, index: from) where to != from {
                    var trial = order
                    trial.remove(at: from)
                    trial.insert(step, at: to)
                    let c = evaluator.cost(trial)
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
}

/// The cost of an order in O(steps + operands): peak and summed live floats (aligned), with an
/// in-place pair counted once. Mirrors `LifetimeAnalysis` and `MemoryPlanner.peakUsage`.
struct OrderCost {
    let graph: MemoryGraph
    let roots: [[Int]]
    let sizes: [Int]
    let scratchSizes: [Int]
    let kept: Set<Int>

    init(_ graph: MemoryGraph, options: MemoryOptions) {
        self.graph = graph
        roots = graph.nodes.indices.map { graph.nodes[$0].kind == .alias ? [] : graph.operandRoots($0) }
        sizes = graph.nodes.map { options.aligned($0.size) }
        scratchSizes = graph.nodes.map { options.aligned($0.scratch) }
        kept = LifetimeAnalysis.survivors(graph, options: options)
    }

    /// Positions (in the order without the step) where the step at `index` can go: after every
    /// step whose value it reads, before every step that reads its value.
    func legalPositions(_ order: [Int], index: Int) -> ClosedRange<Int> {
        let step = order[index]
        var low = 0, high = order.count - 1
        for (i, other) in order.enumerated() where i != index {
            let j = i < index ? i : i - 1  // position of `other` once the step is removed
            if roots[step].contains(other) { low = max(low, j + 1) }
            if roots[other].contains(step) { high = min(high, j) }
        }
        return low...max(low, high)
    }

    /// Peak and summed live floats of `order`.
    func cost(_ order: [Int]) -> (peak: Int, area: Int) {
        let n = order.count
        var position = [Int](repeating: -1, count: graph.nodes.count)
        for (index, id) in order.enumerated() { position[id] = index }
        var last = position
        for (index, id) in order.enumerated() {
            for r in roots[id] { last[r] = max(last[r], index) }
        }
        for id in kept { last[id] = n - 1 }
        var first = position
        // An in-place write ends its target one step early: the pair shares one buffer. A smaller
        // value written over the start of a larger one counts from the next step instead: while
        // the step runs, the whole of the larger buffer is still in use.
        for (index, id) in order.enumerated() {
            guard case .step(let rule) = graph.nodes[id].kind else { continue }
            if let target = LifetimeAnalysis.inPlaceTarget(graph, step: id, rule: rule, at: index, last: last,
                                                           roots: roots[id]) {
                if sizes[target] == sizes[id] { last[target] = index - 1 } else { first[id] = index + 1 }
            }
        }
        // delta[k + 1] changes the sum live at step k; slot 0 is before the first step (inputs).
        var delta = [Int](repeating: 0, count: n + 2)
        var area = 0
        for (id, node) in graph.nodes.enumerated() where node.kind != .alias {
            let start = first[id], end = min(last[id], n - 1)
            guard end >= start else { continue }
            delta[start + 1] += sizes[id]
            delta[end + 2] -= sizes[id]
            area += sizes[id] * (end - start + 1)
        }
        for (index, id) in order.enumerated() where graph.nodes[id].scratch > 0 {
            delta[index + 1] += scratchSizes[id]
            delta[index + 2] -= scratchSizes[id]
            area += scratchSizes[id]
        }
        var live = 0, peak = 0
        for d in delta {
            live += d
            peak = max(peak, live)
        }
        return (peak, area)
    }
}
