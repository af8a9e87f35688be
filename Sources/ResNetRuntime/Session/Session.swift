// Runs a Model: one aligned arena, one pre-bound closure per plan step, inputs copied in and
// outputs copied out; a batch at least as large as the worker count runs image by image on lanes
// (ImageLanes.swift). `run` does no lookups and no allocation beyond the returned tensors.

/// An executor for one model on one thread at a time (make one Session per calling thread).
public final class Session {
    /// The model this session runs (kept alive by the session).
    public let model: Model
    /// Worker threads used inside each step (≥ 1). Results are bitwise identical for any value.
    public let threads: Int
    /// What this session allocated (arena, kernel scratch), once, at init, and the size of the
    /// packed weights it shares with the model's other sessions.
    public let memory: SessionMemory
    /// What this session records about its runs (`.off` unless asked for at init).
    public let profiling: ProfilingMode
    /// Times the runs when `profiling` is not `.off` (see Profile/SessionProfiler.swift).
    let profiler: SessionProfiler?
    private let execution: Execution
    /// What a profiled run times: the steps, or the lanes' rounds.
    private let profiledSteps: [[CompiledStep]]
    private let pool: WorkerPool

    /// Allocates the zeroed arena (one per worker, each for one image, when the batch runs image by
    /// image), starts `threads − 1` workers and binds every step (allocating per-thread scratch
    /// once; the first session of a model also repacks its conv weights, which later sessions
    /// share). `threads < 1` is treated as 1; `kernels` forces kernel choices; `profiling` other
    /// than `.off` times every run for `profile` and `trace`.
    public init(model: Model, threads: Int = 1, kernels: KernelOptions = KernelOptions(),
                profiling: ProfilingMode = .off) throws(RuntimeError) {
        self.model = model
        self.threads = max(threads, 1)
        let imagePlan = ImageLanes.imagePlan(for: model.plan, threads: self.threads, options: kernels)
        memory = SessionMemory.planned(for: model.plan, imagePlan: imagePlan, threads: self.threads, kernels: kernels)
        if let imagePlan {
            let lanes = try ImageLanes(plan: model.plan, imagePlan: imagePlan, threads: self.threads,
                                       weights: model.weights, packing: model.packedWeights, options: kernels)
            execution = .images(lanes)
            profiledSteps = profiling == .off ? [] : lanes.profiledRounds()
        } else {
            let arena = try AlignedBuffer(floats: model.plan.arenaFloats)
            let steps = try StepCompiler.compile(model.plan, arena: arena.floats, weights: model.weights,
                                                 packing: model.packedWeights, threads: self.threads, options: kernels)
            execution = .steps(arena: arena, steps: steps)
            profiledSteps = [steps]
        }
        // Last of the throwing steps: deinit does not run when init throws, so workers started
        // before a later failure would stay parked forever.
        pool = try WorkerPool(threads: self.threads)
        self.profiling = profiling
        let timed = profiledSteps.first ?? []
        profiler = profiling == .off ? nil
            : SessionProfiler(mode: profiling, threads: self.threads, plan: model.plan, compiledNames: timed.map(\.name),
                              kernels: timed.map(\.kernel))
    }

    /// Stops and joins the workers (they hold the pool, so it cannot stop itself).
    deinit { pool.shutdown() }

    /// Runs the model on `inputs` (one tensor per model input, in order, with exact shapes) and
    /// returns one tensor per model output.
    public func run(_ inputs: [Tensor]) throws(RuntimeError) -> [Tensor] {
        let bindings = model.plan.inputs
        guard inputs.count == bindings.count else {
            throw .inputCount(expected: bindings.count, found: inputs.count)
        }
        for (tensor, binding) in zip(inputs, bindings) {
            guard tensor.shape == binding.tensor.shape else {
                throw .inputShape(name: binding.name, expected: binding.tensor.shape, found: tensor.shape)
            }
            // `data` is a public var, so it can disagree with `shape`.
            guard tensor.data.count == binding.tensor.count else {
                throw .bufferSize(name: binding.name, expected: binding.tensor.count, found: tensor.data.count)
            }
        }
        for (index, tensor) in inputs.enumerated() {
            tensor.data.withUnsafeBufferPointer { copyIn($0, to: index) }
        }
        execute()
        return model.plan.outputs.enumerated().map { index, binding in
            Tensor(shape: binding.tensor.shape,
                   data: Array(UnsafeBufferPointer(start: output(index), count: binding.tensor.count)))
        }
    }

    /// Zero-copy-style entry for single-input, single-output models: copies `input` into the
    /// arena, runs, and copies the result into `output`. Buffer sizes must match exactly.
    public func run(input: UnsafeBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>) throws(RuntimeError) {
        let plan = model.plan
        guard plan.inputs.count == 1 else { throw .inputCount(expected: plan.inputs.count, found: 1) }
        guard plan.outputs.count == 1 else {
            throw .invalidPlan(step: "plan", reason: "run(input:output:) needs a single-output model; this one has \(plan.outputs.count) outputs")
        }
        let inBinding = plan.inputs[0], outBinding = plan.outputs[0]
        guard input.count == inBinding.tensor.count else {
            throw .bufferSize(name: inBinding.name, expected: inBinding.tensor.count, found: input.count)
        }
        guard output.count == outBinding.tensor.count else {
            throw .bufferSize(name: outBinding.name, expected: outBinding.tensor.count, found: output.count)
        }
        copyIn(input, to: 0)
        execute()
        if let destination = output.baseAddress {
            destination.update(from: self.output(0), count: output.count)
        }
    }

    /// Where input `index` goes: its place in the arena, or in the lanes' batch buffer.
    private func input(_ index: Int) -> UnsafeMutablePointer<Float> {
        switch execution {
        case .steps(let arena, _): arena.floats + model.plan.inputs[index].tensor.offset
        case .images(let lanes): lanes.buffer.floats + lanes.inputOffsets[index]
        }
    }

    /// Where output `index` is after a run.
    private func output(_ index: Int) -> UnsafeMutablePointer<Float> {
        switch execution {
        case .steps(let arena, _): arena.floats + model.plan.outputs[index].tensor.offset
        case .images(let lanes): lanes.buffer.floats + lanes.outputOffsets[index]
        }
    }

    private func copyIn(_ source: UnsafeBufferPointer<Float>, to index: Int) {
        guard let start = source.baseAddress else { return }
        input(index).update(from: start, count: model.plan.inputs[index].tensor.count)
    }

    /// Runs every step in order, each split over the session's workers and the calling thread, or
    /// the batch's images on the lanes (timed when profiling).
    private func execute() {
        if let profiler { return profiler.execute(profiledSteps, on: pool) }
        switch execution {
        case .steps(_, let steps):
            for step in steps {
                pool.forEach(count: step.units, step.body)
            }
        case .images(let lanes):
            lanes.execute(on: pool)
        }
    }

    /// How a run goes: every step over the whole batch (in the plan's arena, each step split over
    /// the workers), or the batch's images on lanes (a batch at least as large as the worker count).
    private enum Execution {
        case steps(arena: AlignedBuffer, steps: [CompiledStep])
        case images(ImageLanes)
    }
}

/// Sessions own a mutable arena: share the Model across threads, not the Session.
@available(*, unavailable)
extension Session: Sendable {}
