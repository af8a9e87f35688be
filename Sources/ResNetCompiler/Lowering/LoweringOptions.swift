// How the lowering lays out activations: the memory planner (default) or one buffer per value,
// and whether values may be stored channel-blocked (nChw16c).

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

    /// The default of `blockedLayout`: on (`--layout nchw` keeps every tensor NCHW, for the GEMM
    /// kernels and A/B comparisons).
    public static let blockedLayoutByDefault = true

    /// How activations are placed.
    public var memory: Memory
    /// Whether the layout assignment may store values nChw16c (`--layout blocked`); false keeps
    /// every tensor nchw.
    public var blockedLayout: Bool

    /// Planned memory with the default `MemoryOptions`.
    public init(memory: Memory = .planned(MemoryOptions()), blockedLayout: Bool = LoweringOptions.blockedLayoutByDefault) {
        self.memory = memory
        self.blockedLayout = blockedLayout
    }
}
