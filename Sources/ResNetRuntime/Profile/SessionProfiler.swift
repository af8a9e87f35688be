// The profiled way to execute a Session's compiled steps: reads the clock around each step and
// inside each worker's share of it, and accumulates (and in `.trace` mode, keeps) the times.

/// Times a session's runs. Owned by one Session, so used by one thread at a time; only the
/// per-worker slots are written by worker threads, each worker its own.
final class SessionProfiler {
    let mode: ProfilingMode
    let threads: Int
    /// The compiled steps' names, in order (`<name>.prepare` for a pre-pass).
    let compiledNames: [String]
    /// The compiled steps' kernel labels (`CompiledStep.kernel`), in order.
    let kernels: [String]
    /// For each compiled step, the index of the plan step it belongs to.
    let planStep: [Int]
    /// For each compiled step, whether it is a pre-pass of its plan step (not the step itself).
    let isPrepass: [Bool]
    /// Runs accumulated since init or `reset()`.
    private(set) var runs = 0
    /// Wall nanoseconds per compiled step, summed over runs.
    private var wall: [UInt64]
    /// Busy nanoseconds per compiled step and worker (`compiled * threads + worker`).
    private var busy: [UInt64]
    /// The running step's per-worker start and end (`2 * worker`, `2 * worker + 1`); 0 = no units.
    private let slots: UnsafeMutablePointer<UInt64>
    /// `.trace` only: every interval recorded, in order.
    private var records: [TraceRecord] = []

    /// A profiler for `compiledNames` (the compiled steps' names, in order) of `plan`, and their
    /// `kernels` (one label each).
    init(mode: ProfilingMode, threads: Int, plan: Plan, compiledNames: [String], kernels: [String]) {
        self.kernels = kernels
        self.mode = mode
        self.threads = max(threads, 1)
        self.compiledNames = compiledNames
        (planStep, isPrepass) = Self.attribute(compiledNames, to: plan)
        wall = [UInt64](repeating: 0, count: compiledNames.count)
        busy = [UInt64](repeating: 0, count: compiledNames.count * self.threads)
        slots = .allocate(capacity: 2 * self.threads)
        slots.initialize(repeating: 0, count: 2 * self.threads)
    }

    deinit { slots.deallocate() }

    /// Maps compiled steps to plan steps. The step compiler emits, for each plan step in order,
    /// optional pre-passes (named `<name>.prepare`) and then one step with the plan step's own
    /// name, so a compiled step with plan step j's exact name closes j; anything before it is
    /// one of j's pre-passes.
    static func attribute(_ compiledNames: [String], to plan: Plan) -> (planStep: [Int], isPrepass: [Bool]) {
        var planStep: [Int] = [], isPrepass: [Bool] = []
        var next = 0
        for name in compiledNames {
            let index = min(next, max(plan.steps.count - 1, 0))
            let closes = next < plan.steps.count && plan.steps[next].name == name
            planStep.append(index)
            isPrepass.append(!closes)
            if closes { next += 1 }
        }
        return (planStep, isPrepass)
    }

    /// Runs one run's rounds of steps (one round, or a batch's rounds of images on lanes), each
    /// round's steps in order over `threads` workers, timing each step and each worker; a step's
    /// times add up over the rounds.
    func execute(_ rounds: [[CompiledStep]], on pool: WorkerPool) {
        let tracing = mode == .trace
        let runRecord = records.count
        if tracing { records.append(TraceRecord(compiled: -1, worker: -1, start: MonotonicClock.now(), end: 0)) }
        let slots = UnsafeSendable(self.slots)
        for steps in rounds {
            time(steps, on: pool, slots: slots, tracing: tracing)
        }
        if tracing { records[runRecord].end = MonotonicClock.now() }
        runs += 1
    }

    /// Runs and times one round of steps.
    private func time(_ steps: [CompiledStep], on pool: WorkerPool, slots: UnsafeSendable<UnsafeMutablePointer<UInt64>>,
                      tracing: Bool) {
        for (index, step) in steps.enumerated() {
            slots.value.update(repeating: 0, count: 2 * threads)
            let start = MonotonicClock.now()
            pool.forEach(count: step.units) { range, worker in
                // A worker may run several pieces of a step (its own chunk, then units taken
                // from others): its busy span runs from its first start to its last end.
                let begin = MonotonicClock.now()
                step.body(range, worker)
                let end = MonotonicClock.now()
                if slots.value[2 * worker] == 0 { slots.value[2 * worker] = begin }
                slots.value[2 * worker + 1] = end
            }
            let end = MonotonicClock.now()
            wall[index] += end - start
            for worker in 0..<threads where slots.value[2 * worker + 1] != 0 {
                let begin = slots.value[2 * worker], finish = slots.value[2 * worker + 1]
                busy[index * threads + worker] += finish - begin
                if tracing {
                    records.append(TraceRecord(compiled: Int32(index), worker: Int32(worker), start: begin, end: finish))
                }
            }
            if tracing { records.append(TraceRecord(compiled: Int32(index), worker: -1, start: start, end: end)) }
        }
    }

    /// Forgets every run.
    func reset() {
        runs = 0
        for i in wall.indices { wall[i] = 0 }
        for i in busy.indices { busy[i] = 0 }
        records = []
    }

    /// One row per plan step, the compiled steps' times summed into their plan step.
    func profile(of plan: Plan) -> [StepProfile] {
        var rows = plan.steps.enumerated().map { index, step in
            StepProfile(index: index, name: step.name, kind: StepKind(step.op), outputShape: step.output.shape,
                        flops: step.flops, runs: runs, totalNanoseconds: 0, prepareNanoseconds: 0,
                        workerNanoseconds: [UInt64](repeating: 0, count: threads))
        }
        for compiled in wall.indices where planStep[compiled] < rows.count {
            let row = planStep[compiled]
            rows[row].totalNanoseconds += wall[compiled]
            if isPrepass[compiled] { rows[row].prepareNanoseconds += wall[compiled] }
            if !isPrepass[compiled] { rows[row].kernel = kernels[compiled] }
            for worker in 0..<threads {
                rows[row].workerNanoseconds[worker] += busy[compiled * threads + worker]
            }
        }
        return rows
    }

    /// The recorded timeline (empty unless the mode is `.trace`), times relative to the first run.
    func trace(of plan: Plan) -> ProfileTrace {
        let origin = records.first?.start ?? 0
        var spans: [TraceSpan] = []
        spans.reserveCapacity(records.count)
        var run = -1
        var stepStart: UInt64?
        for record in records {
            let start = record.start - origin, duration = record.end - record.start
            guard record.compiled >= 0 else {
                run += 1
                spans.append(TraceSpan(name: "run \(run)", kind: nil, step: nil, run: run, lane: .session,
                                       start: start, duration: duration))
                continue
            }
            let compiled = Int(record.compiled), index = planStep[compiled]
            guard index < plan.steps.count else { continue }
            let step = plan.steps[index], kind = StepKind(step.op)
            if record.worker >= 0 {
                spans.append(TraceSpan(name: compiledNames[compiled], kind: kind, step: index, run: run,
                                       lane: .worker(Int(record.worker)), start: start, duration: duration))
            } else if isPrepass[compiled] {
                stepStart = stepStart ?? start
            } else {
                let first = stepStart ?? start
                spans.append(TraceSpan(name: step.name, kind: kind, step: index, run: run, lane: .session,
                                       start: first, duration: start + duration - first))
                stepStart = nil
            }
        }
        return ProfileTrace(model: plan.name, threads: threads, spans: spans)
    }
}

/// One recorded interval: a run (`compiled` −1), a compiled step on the session lane
/// (`worker` −1), or one worker's share of a compiled step.
struct TraceRecord {
    var compiled: Int32
    var worker: Int32
    var start: UInt64
    var end: UInt64
}
