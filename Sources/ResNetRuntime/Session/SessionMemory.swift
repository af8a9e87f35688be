// What a Session allocates, in bytes, all of it once at initialization: the activation arena,
// per-worker kernel scratch and the shared pre-pass buffer (each of them once per lane when a
// batch runs image by image, plus the batch's input/output buffer and the scratch of the steps
// that run images the lanes leave over); and the repacked conv weights that the first session
// packs into its Model for every session to share.

/// The memory a session holds besides the model's (memory-mapped) weights. Nothing more is
/// allocated while it runs, except the output tensors `run(_:)` returns.
public struct SessionMemory: Sendable, Equatable {
    /// The planned activation arena (`plan.arenaFloats` × 4), or with image lanes every lane's
    /// arena for one image.
    public var arenaBytes: Int
    /// Kernel scratch of one worker (a register tile, an im2col panel or a direct-conv plane),
    /// sized for the most demanding conv step; `scratchSlots` of them.
    public var scratchBytesPerThread: Int
    /// Worker threads, hence scratch slots.
    public var threads: Int
    /// The step-wide buffers, reused by every conv step in turn: the one conv pre-passes fill
    /// (stride-phase planes, pointwise tails, padded inputs), and the one a conv with a blocked
    /// input and an nchw output computes into before its reorder (one of each per lane with
    /// image lanes).
    public var sharedScratchBytes: Int
    /// Lanes that run a batch's images on their own, one per worker (0: every step runs over
    /// the whole batch; see `ImageLanes`).
    public var imageLanes: Int
    /// With image lanes, the buffer holding the batch's inputs and outputs (else 0: they live in
    /// the arena).
    public var batchBufferBytes: Int
    /// With image lanes and a batch the workers do not divide, the scratch (per-thread slots and
    /// pre-pass buffers) of the steps that run the images left over on all workers at once, in
    /// lane 0's arena (else 0).
    public var restScratchBytes: Int
    /// Conv weights repacked into the micro-kernel's panels. Held by the `Model`, once for all
    /// its sessions (packed by the first session that uses this instruction set), so not part of
    /// `sessionBytes`.
    public var packedWeightBytes: Int

    /// Scratch slots: one per worker thread, or with image lanes two per lane (its owner's and a
    /// helper's; one with a single thread).
    public var scratchSlots: Int { imageLanes == 0 ? threads : imageLanes * ImageLanes.laneThreads(threads) }

    /// What each session holds on its own: arena, per-thread scratch and the pre-pass buffer.
    public var sessionBytes: Int {
        arenaBytes + scratchBytesPerThread * scratchSlots + sharedScratchBytes + batchBufferBytes + restScratchBytes
    }

    /// What a `Session(model:threads:kernels:)` over `plan` allocates (plus the model's packed
    /// weights), computed from the same
    /// kernel decisions without allocating anything. The plan must have passed `PlanValidator`.
    public static func planned(for plan: Plan, threads: Int = 1, kernels: KernelOptions = KernelOptions()) -> SessionMemory {
        planned(for: plan, imagePlan: ImageLanes.imagePlan(for: plan, threads: max(threads, 1), options: kernels),
                threads: threads, kernels: kernels)
    }

    /// As `planned(for:threads:kernels:)`, given the one-image plan the session runs `plan` with
    /// (`ImageLanes.imagePlan`), or nil.
    static func planned(for plan: Plan, imagePlan: Plan?, threads: Int, kernels: KernelOptions) -> SessionMemory {
        let isa = kernels.resolvedISA, threads = max(threads, 1)
        let lanes = imagePlan == nil ? 0 : threads, stepwise = imagePlan ?? plan
        func convs(threads: Int) -> [ConvBinding] {
            stepwise.steps.compactMap { ConvBinding.plan($0, isa: isa, options: kernels, threads: threads) }
        }
        func shared(_ convs: [ConvBinding]) -> Int {
            ((convs.map(\.phaseFloats).max() ?? 0) + (convs.map(\.unblockFloats).max() ?? 0)) * 4
        }
        // Lanes bind the one-image plan for an owner and a helper each. The rest's packed
        // weights are the lanes' (packing does not depend on the thread count).
        let laneThreads = ImageLanes.laneThreads(threads)
        let bound = convs(threads: lanes == 0 ? threads : laneThreads)
        let rest = lanes > 0 && ImageLanes.hasRest(batch: plan.uniformBatch ?? 1, threads: lanes) ? convs(threads: threads) : []
        return SessionMemory(
            arenaBytes: stepwise.arenaFloats * 4 * max(lanes, 1),
            scratchBytesPerThread: StepCompiler.scratchSlotFloats(bound) * 4,
            threads: threads,
            sharedScratchBytes: shared(bound) * max(lanes, 1),
            imageLanes: lanes,
            batchBufferBytes: lanes == 0 ? 0 : ImageLanes.bufferLayout(plan).floats * 4,
            restScratchBytes: rest.isEmpty ? 0 : StepCompiler.scratchSlotFloats(rest) * 4 * threads + shared(rest),
            packedWeightBytes: bound.reduce(0) { $0 + $1.packedWeightFloats * 4 })
    }
}
