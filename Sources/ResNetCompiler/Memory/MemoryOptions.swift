// The switches of the memory planner: alignment, input reuse, conv-residual in-place, scheduling.

/// How the lowering places activations.
public struct MemoryOptions: Sendable, Equatable {
    /// Buffer alignment in floats (16 floats = 64 bytes, a cache line and an AVX-512 vector).
    public var alignment: Int
    /// Whether a model input's memory may hold other values once its last reader has run.
    /// `Session.run` copies the caller's input into the arena before every run, so this never
    /// changes results; it only makes the arena smaller. Turn it off to find the input intact in
    /// the arena after a run (e.g. when debugging a plan).
    public var reuseInputMemory: Bool
    /// Whether a convolution may write its output over its identity residual (the conv + add of a
    /// residual block accumulating over the shortcut). Correct because every conv kernel finishes
    /// a tile in registers or scratch and reads `residual[i]` before it writes `out[i]`.
    public var allowConvResidualInPlace: Bool
    /// Whether a pointwise conv (1×1, stride 1, one image, no residual) may write its output over
    /// the start of an input that dies at it. Correct because the runtime gives such steps a
    /// kernel that packs every input channel of a pixel tile before writing any output of that
    /// tile, with units of whole tiles (`PlanValidator.isPointwisePrefix`).
    public var allowPointwiseConvInPlace: Bool
    /// Whether to try memory-aware step orders and keep the one with the smallest arena
    /// (false: the graph's own order).
    public var reorderSteps: Bool

    /// The defaults: 64-byte alignment, every in-place rule on, reordering on.
    public init(alignment: Int = 16, reuseInputMemory: Bool = true, allowConvResidualInPlace: Bool = true,
                allowPointwiseConvInPlace: Bool = true, reorderSteps: Bool = true) {
        self.alignment = alignment
        self.reuseInputMemory = reuseInputMemory
        self.allowConvResidualInPlace = allowConvResidualInPlace
        self.allowPointwiseConvInPlace = allowPointwiseConvInPlace
        self.reorderSteps = reorderSteps
    }

    /// `floats` rounded up to the alignment.
    func aligned(_ floats: Int) -> Int { (floats + alignment - 1) / alignment * alignment }
}
