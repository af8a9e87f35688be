// The planner's figures as Plan metadata (string keys), so `inspect` of a `.rnc` file shows them;
// recomputed from the plan itself when a plan lacks them.
import ResNetRuntime

/// Arena size, lower bound, naive sum and peak step of a planned network, in bytes.
public struct MemoryFigures: Sendable, Equatable {
    /// Bytes of the arena the plan allocates.
    public var arenaBytes: Int
    /// Largest sum of bytes live at one step (with in-place pairs counted once).
    public var lowerBoundBytes: Int
    /// Sum of every value's bytes, as if none shared memory.
    public var naiveBytes: Int
    /// Name of the step where the lower bound is reached (`(inputs)` before the first step).
    public var peakStep: String
    /// `one-buffer-per-value` or `planned`.
    public var planner: String
    /// The step order that was kept (`original`, `greedy`, ...).
    public var schedule: String
    /// Steps that write over an operand.
    public var inPlaceSteps: Int

    /// lower bound ÷ arena (1.0: no placement of these lifetimes can be smaller).
    public var efficiency: Double { arenaBytes == 0 ? 1 : Double(lowerBoundBytes) / Double(arenaBytes) }

    /// Metadata keys, shared with the CLI's JSON names where they coincide.
    public enum Key {
        /// Lower bound in bytes.
        public static let lowerBound = "arena_lower_bound_bytes"
        /// Unshared sum in bytes.
        public static let naive = "naive_activation_bytes"
        /// Name of the peak step.
        public static let peakStep = "peak_step"
        /// `planned` or `one-buffer-per-value`.
        public static let planner = "memory_planner"
        /// Name of the kept step order.
        public static let schedule = "memory_schedule"
        /// Number of in-place steps.
        public static let inPlace = "memory_in_place_steps"
    }

    /// Reads the figures of a plan lowered by this compiler; nil when its metadata lacks them.
    public init?(metadata: [String: String], arenaFloats: Int) {
        guard let lower = metadata[Key.lowerBound].flatMap({ Int($0) }),
              let naive = metadata[Key.naive].flatMap({ Int($0) }),
              let peak = metadata[Key.peakStep] else { return nil }
        arenaBytes = arenaFloats * 4
        lowerBoundBytes = lower
        naiveBytes = naive
        peakStep = peak
        planner = metadata[Key.planner] ?? "?"
        schedule = metadata[Key.schedule] ?? "?"
        inPlaceSteps = metadata[Key.inPlace].flatMap { Int($0) } ?? 0
    }

    /// The figures of `plan`: from its metadata when this compiler wrote them, else recomputed
    /// from the plan (inputs kept for the whole run; planner and schedule are then `unknown`).
    public init(plan: Plan) {
        if let recorded = MemoryFigures(metadata: plan.metadata, arenaFloats: plan.arenaFloats) {
            self = recorded
            return
        }
        let buffers = ArenaBuffer.analyze(plan)
        let (bound, step) = ArenaBuffer.lowerBound(buffers)
        arenaBytes = plan.arenaFloats * 4
        lowerBoundBytes = bound
        naiveBytes = buffers.reduce(0) { $0 + BufferAssignment.aligned($1.floats) * 4 }
        peakStep = step >= 0 && step < plan.steps.count ? plan.steps[step].name : "(inputs)"
        planner = "unknown"
        schedule = "unknown"
        inPlaceSteps = buffers.filter { $0.inPlaceOver != nil }.count
    }

    /// The metadata entries describing `layout` of `graph`.
    static func metadata(_ layout: MemoryLayout, graph: MemoryGraph, planner: String) -> [String: String] {
        let peak = layout.plan.peakStep
        let peakName = peak >= 0 && peak < layout.order.count ? graph.nodes[layout.order[peak]].name : "(inputs)"
        return [Key.lowerBound: String(layout.plan.lowerBound * 4), Key.naive: String(layout.plan.naiveSize * 4),
                Key.peakStep: peakName, Key.planner: planner, Key.schedule: layout.scheduleName,
                Key.inPlace: String(planner == "planned" ? layout.plan.inPlace.count : 0)]
    }
}
