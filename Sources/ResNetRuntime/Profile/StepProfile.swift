// What a profiled Session measured for one plan step, accumulated over its runs.

/// One plan step's accumulated timings (`session.profile` returns one per plan step, in step
/// order). A conv whose kernel needs a pre-pass (the stride-phase split, `<name>.prepare` in
/// traces) runs as two compiled steps; both are attributed to this one row, and the pre-pass
/// part is also given on its own in `prepareNanoseconds`.
public struct StepProfile: Hashable, Sendable {
    /// The step's index in `plan.steps`.
    public var index: Int
    /// The plan step's name (`layer1.0.conv1`).
    public var name: String
    /// Its op kind (`conv`, `maxpool`, ...).
    public var kind: StepKind
    /// The step's output shape.
    public var outputShape: [Int]
    /// Floating-point operations of one execution (`Step.flops`).
    public var flops: Int
    /// Runs accumulated since the session was made or the profile was reset.
    public var runs: Int
    /// Wall time of this step summed over the runs, pre-pass included, in nanoseconds: from
    /// handing the step to the workers until the last worker finished.
    public var totalNanoseconds: UInt64
    /// The part of `totalNanoseconds` spent in the conv pre-pass (0 for steps without one).
    public var prepareNanoseconds: UInt64
    /// Per worker (index < the session's threads), the time it spent inside this step's work
    /// units, summed over runs. A worker that got no units has 0. Each is ≤ `totalNanoseconds`.
    public var workerNanoseconds: [UInt64]
    /// The kernel the session chose for a conv (`winograd4-2x14` / `winograd2-2x14` = Winograd
    /// F(4,3) / F(2,3) with 2 × 14 product tiles, `direct-2x14` = 2 blocks of 16
    /// channels × 14 pixels, `direct-2x2x7` = two 7-pixel rows, `implicit-gemm`…), else "".
    public var kernel: String

    /// Creates a profile row (the session makes these; public for tests and tools).
    public init(index: Int, name: String, kind: StepKind, outputShape: [Int], flops: Int, runs: Int,
                totalNanoseconds: UInt64, prepareNanoseconds: UInt64, workerNanoseconds: [UInt64], kernel: String = "") {
        self.kernel = kernel
        self.index = index
        self.name = name
        self.kind = kind
        self.outputShape = outputShape
        self.flops = flops
        self.runs = runs
        self.totalNanoseconds = totalNanoseconds
        self.prepareNanoseconds = prepareNanoseconds
        self.workerNanoseconds = workerNanoseconds
    }

    /// Total wall time over all runs, in milliseconds.
    public var totalMilliseconds: Double { Double(totalNanoseconds) / 1e6 }

    /// Mean wall time per run, in milliseconds (0 before any run).
    public var meanMilliseconds: Double { runs > 0 ? totalMilliseconds / Double(runs) : 0 }

    /// Achieved GFLOP/s: `flops` per run over the mean time (0 when either is 0).
    public var gflopsPerSecond: Double {
        totalNanoseconds > 0 ? Double(flops) * Double(runs) / Double(totalNanoseconds) : 0
    }
}
