// Lifetimes of the values a plan computes: which step writes each, which step reads it last.

/// One value to place in the arena.
public struct BufferLifetime: Sendable, Equatable {
    /// Caller's id for the value (unique).
    public var id: Int
    /// Size in floats (before alignment).
    public var size: Int
    /// Index of the step that writes it (−1 for a model input, live from the start).
    public var firstStep: Int
    /// Index of the last step that reads it (`Int.max` for a model output: it must survive).
    public var lastStep: Int
    /// A value this one may overwrite in place: it dies at `firstStep`, which reads it
    /// element-wise at the position it writes (a fused residual's shortcut).
    public var inPlaceOver: Int?

    /// Makes a lifetime; `inPlaceOver` names a value this one may overwrite.
    public init(id: Int, size: Int, firstStep: Int, lastStep: Int, inPlaceOver: Int? = nil) {
        self.id = id
        self.size = size
        self.firstStep = firstStep
        self.lastStep = lastStep
        self.inPlaceOver = inPlaceOver
    }

    /// Whether two lifetimes share a step (then they need disjoint memory).
    func overlaps(_ other: BufferLifetime) -> Bool {
        firstStep <= other.lastStep && other.firstStep <= lastStep
    }
}
