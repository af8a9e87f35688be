// How the lowering lays out activations: the memory planner (default) or one buffer per value.

/// Options of `Lowering.lower`.
public struct LoweringOptions: Sendable, Equatable {
    /// Activation placement strategies.
    public enum Memory: Sendable, Equatable {
        /// The memory planner: step reordering, in-place steps, greedy-by-size best-fit offsets.
        case planned(MemoryOptions)
        /// Graph order and one aligned buffer per value (views share their input's), as a
        /// reference for tests and debugging.
        case oneBufferPerValue
    }

    /// How activations are placed.
    public var memory: Memory

    /// Planned memory with the default `MemoryOptions`.
    public init(memory: Memory = .planned(MemoryOptions())) {
        self.memory = memory
    }
}
