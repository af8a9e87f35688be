// What a Session allocates, in bytes, all of it once at initialization: the activation arena,
// per-worker kernel scratch and the shared pre-pass buffer; and the repacked conv weights that
// the first session packs into its Model for every session to share.

/// The memory a session holds besides the model's (memory-mapped) weights. Nothing more is
/// allocated while it runs, except the output tensors `run(_:)` returns.
public struct SessionMemory: Sendable, Equatable {
    /// The planned activation arena (`plan.arenaFloats` × 4).
    public var arenaBytes: Int
    /// Kernel scratch of one worker (a register tile, an im2col panel or a direct-conv plane),
    /// sized for the most demanding conv step; one slot per worker thread.
    public var scratchBytesPerThread: Int
    /// Worker threads, hence scratch slots.
    public var threads: Int
    /// The step-wide buffers, reused by every conv step in turn: the one conv pre-passes fill
    /// (stride-phase planes, pointwise tails, padded inputs), and the one a conv with a blocked
    /// input and an nchw output computes into before its reorder.
    public var sharedScratchBytes: Int
    /// Conv weights repacked into the micro-kernel's panels. Held by the `Model`, once for all
    /// its sessions (packed by the first session that uses this instruction set), so not part of
    /// `sessionBytes`.
    public var packedWeightBytes: Int

    /// What each session holds on its own: arena, per-thread scratch and the pre-pass buffer.
    public var sessionBytes: Int {
        arenaBytes + scratchBytesPerThread * threads + sharedScratchBytes
    }

    /// What a `Session(model:threads:kernels:)` over `plan` allocates (plus the model's packed
    /// weights), computed from the same
    /// kernel decisions without allocating anything. The plan must have passed `PlanValidator`.
    public static func planned(for plan: Plan, threads: Int = 1, kernels: KernelOptions = KernelOptions()) -> SessionMemory {
        let isa = kernels.resolvedISA
        let convs = plan.steps.compactMap { ConvBinding.plan($0, isa: isa, options: kernels, threads: threads) }
        return SessionMemory(
            arenaBytes: plan.arenaFloats * 4,
            scratchBytesPerThread: StepCompiler.scratchSlotFloats(convs) * 4,
            threads: max(threads, 1),
            sharedScratchBytes: ((convs.map(\.phaseFloats).max() ?? 0) + (convs.map(\.unblockFloats).max() ?? 0)) * 4,
            packedWeightBytes: convs.reduce(0) { $0 + $1.packedWeightFloats * 4 })
    }
}
