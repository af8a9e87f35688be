// The switches of the memory planner: alignment, input reuse, conv-residual in-place, scheduling.

/// How the lowering places activations.
public struct MemoryOptions: Sendable, Equatable {
    /// Buffer alignment in floats (16 floats = 64 bytes, a cache line and an AVX-512 vector).
    public var alignment: Int
    /// Whether a model input's memory may hold other values once its last reader has run.
    /// Default false: the input stays intact for the whole run, so whoever looks at the arena
    /// after a run (a debugger, a zero-copy caller feeding the same input again) still finds it.
    /// `Session.run` copies the caller's input into the arena before every run, so turning this
    /// on never changes results; it only makes the arena smaller.
    public var reuseInputMemory: Bool
    /// Whether a convolution may write its output over its identity residual. The runtime's
    /// direct conv kernel accumulates into the output plane before its epilogue reads the
    /// residual, so this is only correct with a kernel that reads `residual[i]` before writing
    /// `out[i]`; it stays false until such kernels land.
    public var allowConvResidualInPlace: Bool
    /// Whether to try memory-aware step orders and keep the one with the smallest arena
    /// (false: the graph's own order).
    public var reorderSteps: Bool

    /// The defaults above: 64-byte alignment, inputs kept, no conv residual in place, reordering on.
    public init(alignment: Int = 16, reuseInputMemory: Bool = false, allowConvResidualInPlace: Bool = false,
                reorderSteps: Bool = true) {
        self.alignment = alignment
        self.reuseInputMemory = reuseInputMemory
        self.allowConvResidualInPlace = allowConvResidualInPlace
        self.reorderSteps = reorderSteps
    }

    /// `floats` rounded up to the alignment.
    func aligned(_ floats: Int) -> Int { (floats + alignment - 1) / alignment * alignment }
}
