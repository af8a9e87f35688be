// `resnetc tune`'s search: times every conv step under each candidate kernel choice that changes
// its binding, one run of each in turn, and keeps per step the fastest one that beats the
// chooser's default by a margin. The winners are stored in the plan (`Step.tuning`).

import ResNetKernelABI

/// The tuner's verdict on one conv step.
public struct TunedStep: Hashable, Sendable {
    /// The step's index in `plan.steps` and its name.
    public let index: Int
    public let name: String
    /// The kernel label and best time (ms) with the chooser's defaults.
    public let defaultKernel: String
    public let defaultMilliseconds: Double
    /// The winning choice (nil: the default stays), with its kernel label and best time.
    public let chosen: StepTuning?
    public let kernel: String
    public let milliseconds: Double
    /// Candidates timed on this step: those that change its binding.
    public let tried: Int
}

/// How long and how strictly the tuner measures.
public struct TunerSettings: Hashable, Sendable {
    public var threads: Int
    /// The instruction set to tune for; nil = the one this machine runs by default.
    public var isa: KernelISA?
    /// Rounds (progress is reported per round)…
    public var rounds: Int
    /// …of this many runs of every candidate, taken in turn (after one warm-up run each); a
    /// step's time is its best run.
    public var runs: Int
    /// A candidate replaces the default only when at least this fraction faster (0.03 = 3 %).
    public var margin: Double

    public init(threads: Int, isa: KernelISA? = nil, rounds: Int = 3, runs: Int = 5, margin: Double = 0.03) {
        self.threads = threads
        self.isa = isa
        self.rounds = rounds
        self.runs = runs
        self.margin = margin
    }
}

public enum Tuner {
    /// What is tried, each only on the steps whose binding it changes (and no earlier candidate
    /// binds alike): the reduction slice of the blocked direct kernels, and the algorithm of 3×3
    /// convs (stride 1 or 2).
    public static let candidates: [StepTuning] = [
        StepTuning(splitSliceBytes: 16 << 10),
        StepTuning(splitSliceBytes: 64 << 10),
        StepTuning(splitSliceBytes: 0),
        StepTuning(schedule: .direct),
        StepTuning(schedule: .winograd2),
        StepTuning(schedule: .winograd4),
    ]

    /// The plan metadata key a tuned model records what it was tuned for under
    /// (`2 thread(s), avx512`).
    public static let metadataKey = "tuned_for"

    /// Tunes `model`'s conv steps on this machine, running it on `inputs`. Per conv it picks the
    /// fastest candidate (`TunedStep.chosen`); then it runs the whole model with those picks
    /// and without, one run of each in turn, `rounds × runs` pairs, and stores the picks only if
    /// the median per-pair ratio (tuned / default) is below 1: per-step wins on a noisy host
    /// need not add up. Returns the model (any tuning `model` had is replaced; the thread count
    /// and instruction set under `metadataKey`), the verdict per conv, and that ratio.
    /// `progress` is told each round as it starts.
    public static func tune(_ model: Model, inputs: [Tensor], settings: TunerSettings,
                            progress: (Int) -> Void = { _ in }) throws(RuntimeError)
        -> (model: Model, steps: [TunedStep], ratio: Double) {
        let base = try model.retuned(Array(repeating: nil, count: model.plan.steps.count))
        let applies = applicability(base.plan.steps, settings: settings)
        let active = candidates.indices.filter { applies[$0].contains(true) }
        // Slot 0 is the default; slot k + 1 runs candidate active[k] on the steps it changes.
        var models = [base]
        for candidate in active {
            models.append(try base.retuned(base.plan.steps.indices.map { applies[candidate][$0] ? candidates[candidate] : nil }))
        }
        let (best, kernels) = try measure(models, inputs: inputs, settings: settings, progress: progress)
        var verdicts: [TunedStep] = []
        var tunings: [StepTuning?] = Array(repeating: nil, count: base.plan.steps.count)
        for (index, step) in base.plan.steps.enumerated() {
            guard case .conv2d = step.op else { continue }
            // The fastest candidate that beats the default by the margin, if any.
            var winner: (slot: Int, candidate: Int)? = nil
            var fastest = best[0][index] * (1 - settings.margin)
            for (offset, candidate) in active.enumerated() where applies[candidate][index] && best[offset + 1][index] < fastest {
                winner = (offset + 1, candidate)
                fastest = best[offset + 1][index]
            }
            tunings[index] = winner.map { candidates[$0.candidate] }
            let slot = winner?.slot ?? 0
            verdicts.append(TunedStep(index: index, name: step.name, defaultKernel: kernels[0][index],
                                      defaultMilliseconds: best[0][index], chosen: tunings[index],
                                      kernel: kernels[slot][index], milliseconds: best[slot][index],
                                      tried: active.filter { applies[$0][index] }.count))
        }
        let isa = KernelOptions(isa: settings.isa).resolvedISA
        let context = "\(settings.threads) thread(s), \(isa.rawValue)"
        let tuned = try base.retuned(tunings, metadata: [Tuner.metadataKey: context])
        guard tunings.contains(where: { $0 != nil }) else { return (tuned, verdicts, 1) }
        let ratio = try pairedRatio(base, tuned, inputs: inputs, settings: settings)
        let kept = ratio < 1 ? tuned : try base.retuned(Array(repeating: nil, count: tunings.count),
                                                          metadata: [Tuner.metadataKey: context])
        return (kept, verdicts, ratio)
    }

    /// The median over `rounds × runs` pairs of `second`'s run time over `first`'s (`PairedRuns`).
    private static func pairedRatio(_ first: Model, _ second: Model, inputs: [Tensor],
                                    settings: TunerSettings) throws(RuntimeError) -> Double {
        let options = KernelOptions(isa: settings.isa)
        let a = try Session(model: first, threads: settings.threads, kernels: options)
        let b = try Session(model: second, threads: settings.threads, kernels: options)
        return PairedRuns.medianRatio(try PairedRuns.measure(a, b, inputs: inputs, pairs: max(1, settings.rounds * settings.runs)))
    }

    /// Per candidate and step: whether the candidate changes what the (untuned) step binds to.
    /// Only those pairs are timed and can win.
    private static func applicability(_ steps: [Step], settings: TunerSettings) -> [[Bool]] {
        let options = KernelOptions(isa: settings.isa)
        let isa = options.resolvedISA
        func binding(_ step: Step) -> BindingKey? {
            ConvBinding.plan(step, isa: isa, options: options, threads: settings.threads)
                .map { BindingKey(method: $0.method, blocked: $0.blocked, winograd: $0.winograd) }
        }
        // Per step, the bindings already timed: the default's, then each candidate's that applies
        // (on a stride-2 conv `winograd4` binds the same F(2,3) as `winograd2`: timed once).
        var seen = steps.map { binding($0).map { [$0] } ?? [] }
        return candidates.map { candidate in
            steps.indices.map { index in
                guard !seen[index].isEmpty else { return false }
                var step = steps[index]
                step.tuning = candidate
                guard let bound = binding(step), !seen[index].contains(bound) else { return false }
                seen[index].append(bound)
                return true
            }
        }
    }

    /// Each model's best time (ms) and kernel label per conv step (∞ and "" for other steps).
    /// Every model gets a session and a warm-up run; then each round runs the models in turn,
    /// one profiled run each, `runs` times over, so a slow spell of a shared host falls on all
    /// of them alike.
    private static func measure(_ models: [Model], inputs: [Tensor], settings: TunerSettings,
                                progress: (Int) -> Void) throws(RuntimeError) -> (best: [[Double]], kernels: [[String]]) {
        let count = models.first?.plan.steps.count ?? 0
        var best = Array(repeating: Array(repeating: Double.infinity, count: count), count: models.count)
        var kernels = Array(repeating: Array(repeating: "", count: count), count: models.count)
        var sessions: [Session] = []
        for model in models {
            let session = try Session(model: model, threads: settings.threads, kernels: KernelOptions(isa: settings.isa),
                                      profiling: .steps)
            _ = try session.run(inputs)
            sessions.append(session)
        }
        for round in 0..<max(1, settings.rounds) {
            progress(round)
            for _ in 0..<max(1, settings.runs) {
                for (slot, session) in sessions.enumerated() {
                    session.resetProfile()
                    _ = try session.run(inputs)
                    for row in session.profile where row.kind == .conv {
                        best[slot][row.index] = min(best[slot][row.index], Double(row.totalNanoseconds) / 1e6)
                        kernels[slot][row.index] = row.kernel
                    }
                }
            }
        }
        return (best, kernels)
    }

    /// The parts of a conv binding a tuning can change.
    private struct BindingKey: Equatable {
        let method: ConvMethod
        let blocked: BlockedTiling?
        let winograd: WinogradTiling?
    }
}
