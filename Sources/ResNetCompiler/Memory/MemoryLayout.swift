// The planner's answer for a whole network: the chosen step order and every value's offset,
// picked as the candidate order whose planned arena is smallest.
import ResNetRuntime

/// Where every value of a MemoryGraph lives, and in which order the steps run.
public struct MemoryLayout: Sendable {
    /// Step ids in execution order.
    public var order: [Int]
    /// Offset in floats of each node's value (an alias has its root's offset).
    public var offsets: [Int]
    /// The lifetimes that were placed, under `order` (ids = node ids; aliases have none).
    public var lifetimes: [BufferLifetime]
    /// The placement and its figures (arena, lower bound, naive sum, peak step index).
    public var plan: MemoryPlan
    /// Step id → offset in floats of its scratch buffer (steps with `scratch > 0` only).
    public var scratchOffsets: [Int: Int]
    /// Which candidate order won (`original`, `greedy`, `greedy-depth-first`).
    public var scheduleName: String

    /// Plans `graph`: tries the candidate orders and keeps the smallest arena (then the smallest
    /// lower bound, then the earliest candidate).
    public static func plan(_ graph: MemoryGraph, options: MemoryOptions = .init()) -> MemoryLayout {
        var best: MemoryLayout?
        for candidate in StepScheduler.candidates(graph, options: options) {
            let layout = evaluate(graph, candidate: candidate, options: options)
            if let b = best, (b.plan.arenaSize, b.plan.lowerBound) <= (layout.plan.arenaSize, layout.plan.lowerBound) {
                continue
            }
            best = layout
        }
        // `candidates` always returns the original order, so there is always a best.
        return best!
    }

    /// Lifetimes and placement for one order.
    static func evaluate(_ graph: MemoryGraph, candidate: StepScheduler.Candidate,
                         options: MemoryOptions) -> MemoryLayout {
        let lifetimes = LifetimeAnalysis.lifetimes(graph, order: candidate.order, options: options)
        let plan = MemoryPlanner.plan(lifetimes, alignment: options.alignment)
        let offsets = graph.nodes.indices.map { plan.offsets[graph.root($0)] ?? 0 }
        var scratch: [Int: Int] = [:]
        for id in candidate.order where graph.nodes[id].scratch > 0 {
            scratch[id] = plan.offsets[LifetimeAnalysis.scratchID(graph, step: id)]
        }
        return MemoryLayout(order: candidate.order, offsets: offsets, lifetimes: lifetimes, plan: plan,
                            scratchOffsets: scratch, scheduleName: candidate.name)
    }
}
