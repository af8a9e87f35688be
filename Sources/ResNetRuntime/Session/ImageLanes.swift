// A batched plan run image by image: each worker takes whole images through the one-image plan
// (Plan+SingleImage.swift) on its own lane (arena, scratch and steps bound to them), so an image's
// activations stay in its core's caches and no step waits for the other workers. A worker that
// finds no image left helps a lane still running its last one, step by step (LaneClaims.swift).
// The images left over when the workers do not divide the batch run after that, one at a time,
// each step split over all workers. The batch's inputs and outputs live in one buffer of their
// own; a lane copies an image's inputs in before its first step and its outputs out after its last.

import Synchronization

/// One lane: the one-image plan bound to its own arena, for one worker at a time.
struct ImageLane: @unchecked Sendable {
    // @unchecked: the steps' closures hold raw pointers into `arena` and the lane's scratch;
    // only the worker running one of this lane's images touches them, and a helper, which runs
    // units of the step that worker published on the lane's second scratch slot (LaneClaims).
    let arena: AlignedBuffer
    let steps: [CompiledStep]
    /// The step the lane runs, shared with a helper.
    let claims = LaneClaims()
}

/// The lanes of a session and the batch's input/output buffer.
final class ImageLanes: @unchecked Sendable {
    // @unchecked: set once in init (but `nextImage`, an atomic); while the lanes run, lane `i`'s
    // memory is only touched by the participant running lane `i` and its helper (as a step's
    // units are by a step's workers), and image `k`'s slices of `buffer` by the owner that
    // claimed image `k` (each image is claimed once). The left-over images run after every lane
    // has finished.

    /// The plan of one image.
    let plan: Plan
    /// Images per run.
    let batch: Int
    let lanes: [ImageLane]
    /// The one-image plan bound for all the session's workers in lane 0's arena: what runs the
    /// `batch % lanes.count` images left after the lanes' (empty when none are).
    let rest: [CompiledStep]
    /// The batch's inputs, then its outputs, each binding 64-byte aligned (`inputOffsets`,
    /// `outputOffsets`).
    let buffer: AlignedBuffer
    let inputOffsets: [Int]
    let outputOffsets: [Int]
    /// The next image a lane may start, in a run.
    private let nextImage = Atomic<Int>(0)
    /// Images the lanes take (the largest multiple of their count); the rest run on all workers.
    private let laned: Int
    /// One participant's share of a run (the pool's unit is a lane), made once: a closure built
    /// in `execute` would be allocated on every run. `unowned`: only this object calls it.
    private lazy var participate: @Sendable (Range<Int>, Int) -> Void = { [unowned self] owned, _ in
        for lane in owned {
            while case let image = nextImage.add(1, ordering: .relaxed).oldValue, image < laned {
                copyIn(image: image, lane: lane)
                lanes[lane].claims.run(lanes[lane].steps)
                copyOut(image: image, lane: lane)
            }
            for offset in 1..<lanes.count {
                let other = (lane + offset) % lanes.count
                lanes[other].claims.help(lanes[other].steps)
            }
        }
    }

    /// Workers one lane's steps are bound for: its owner and, with more than one worker, a helper.
    static func laneThreads(_ threads: Int) -> Int { min(max(threads, 1), 2) }

    /// The one-image plan a session with `threads` workers and `options` runs `plan` with, or nil
    /// when it runs the plan step by step over the whole batch: the batch is 1 or smaller than the
    /// workers (each image would then run on all of them, and the whole-batch steps split more
    /// units), the options say so, or the plan cannot be split by image.
    static func imagePlan(for plan: Plan, threads: Int, options: KernelOptions) -> Plan? {
        guard options.imageLanes, let batch = plan.uniformBatch, batch > 1, batch >= max(threads, 1) else {
            return nil
        }
        return plan.singleImage()
    }

    /// Whether lanes of `threads` workers leave images over for the `rest` steps.
    static func hasRest(batch: Int, threads: Int) -> Bool { batch % max(threads, 1) != 0 }

    /// The floats of the batch buffer and each binding's offset in it (multiples of 16).
    static func bufferLayout(_ plan: Plan) -> (floats: Int, inputs: [Int], outputs: [Int]) {
        var floats = 0
        func place(_ binding: TensorBinding) -> Int {
            defer { floats += (binding.tensor.count + 15) / 16 * 16 }
            return floats
        }
        let inputs = plan.inputs.map(place), outputs = plan.outputs.map(place)
        return (floats, inputs, outputs)
    }

    /// Binds `threads` lanes of `imagePlan` (the one-image form of `plan`), each with its own
    /// arena and scratch for its owner and a helper, sharing `packing`'s repacked weights; and,
    /// when the lanes leave images over, the one-image plan once more for all `threads` workers.
    init(plan: Plan, imagePlan: Plan, threads: Int, weights: UnsafePointer<Float>, packing: PackedWeightCache,
         options: KernelOptions) throws(RuntimeError) {
        self.plan = imagePlan
        batch = plan.uniformBatch ?? 1
        let layout = Self.bufferLayout(plan)
        buffer = try AlignedBuffer(floats: layout.floats)
        inputOffsets = layout.inputs
        outputOffsets = layout.outputs
        var lanes: [ImageLane] = []
        for _ in 0..<max(threads, 1) {
            let arena = try AlignedBuffer(floats: imagePlan.arenaFloats)
            let steps = try StepCompiler.compile(imagePlan, arena: arena.floats, weights: weights, packing: packing,
                                                 threads: Self.laneThreads(threads), options: options)
            lanes.append(ImageLane(arena: arena, steps: steps))
        }
        self.lanes = lanes
        laned = batch - batch % lanes.count
        rest = Self.hasRest(batch: batch, threads: lanes.count)
            ? try StepCompiler.compile(imagePlan, arena: lanes[0].arena.floats, weights: weights, packing: packing,
                                       threads: threads, options: options)
            : []
    }

    /// Copies image `image`'s inputs from the batch buffer into lane `lane`'s arena.
    func copyIn(image: Int, lane: Int) {
        let arena = lanes[lane].arena.floats
        for (binding, offset) in zip(plan.inputs, inputOffsets) {
            let count = binding.tensor.count
            (arena + binding.tensor.offset).update(from: buffer.floats + offset + image * count, count: count)
        }
    }

    /// Copies image `image`'s outputs from lane `lane`'s arena into the batch buffer.
    func copyOut(image: Int, lane: Int) {
        let arena = lanes[lane].arena.floats
        for (binding, offset) in zip(plan.outputs, outputOffsets) {
            let count = binding.tensor.count
            (buffer.floats + offset + image * count).update(from: arena + binding.tensor.offset, count: count)
        }
    }

    /// Runs the batch. Each lane is one unit of the pool: its participant takes images in turn
    /// and runs all their steps on the lane, then, with no image left, helps the lanes still
    /// running; the images left over then run one at a time on all workers, in lane 0's arena.
    func execute(on pool: WorkerPool) {
        nextImage.store(0, ordering: .relaxed)
        pool.forEach(count: lanes.count, participate)
        for image in laned..<batch {
            copyIn(image: image, lane: 0)
            for step in rest { pool.forEach(count: step.units, step.body) }
            copyOut(image: image, lane: 0)
        }
    }

    /// The steps a profiled run times, round by round: in round `r` lane `l` runs image
    /// `r · lanes + l`, all lanes in step with one another, so each compiled step's time is the
    /// lanes' time for it (the unprofiled run lets every lane go at its own pace). The images
    /// left over run on the first lanes too, in a last round (unprofiled, on all workers each).
    func profiledRounds() -> [[CompiledStep]] {
        let count = lanes.count, steps = lanes[0].steps
        return stride(from: 0, to: batch, by: count).map { first in
            let images = min(count, batch - first)
            return steps.indices.map { index in
                let last = index == steps.count - 1
                return CompiledStep(name: steps[index].name, units: images, kernel: steps[index].kernel) {
                    [self] range, _ in
                    for lane in range {
                        if index == 0 { copyIn(image: first + lane, lane: lane) }
                        let step = lanes[lane].steps[index]
                        step.body(0..<step.units, 0)
                        if last { copyOut(image: first + lane, lane: lane) }
                    }
                }
            }
        }
    }
}
