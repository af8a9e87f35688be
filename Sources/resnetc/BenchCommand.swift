// `resnetc bench`: latency of a model over N runs after a warm-up, or with `--load`, the time
// to load a `.rnc` file and make it runnable (Model(contentsOf:) + Session init).
import Foundation
import ResNetCompiler
import ResNetRuntime

enum BenchCommand {
    static func run(_ argv: [String]) throws {
        if argv.contains("--help") || argv.contains("-h") { throw HelpRequested(text: Help.bench) }
        let args = try Arguments(argv, options: ["--threads", "--iterations", "--warmup", "--versus"] + SourceOptions.names + KernelFlags.names
                                 + ProfileOptions.names, flags: ["--json", "--load"] + SourceOptions.flags + ProfileOptions.flags + KernelFlags.flags)
        let path = try args.single("a model (.rnc or .net) to measure")
        let settings = Settings(threads: try args.int("--threads", in: 1...1024) ?? defaultThreadCount(),
                                iterations: try args.int("--iterations", in: 1...1_000_000) ?? 20,
                                warmup: try args.int("--warmup", in: 0...1_000_000) ?? 3,
                                json: args.flag("--json"), profiling: ProfileOptions(args), kernels: try KernelFlags.options(args))
        if args.flag("--load") {
            guard path.hasSuffix(".rnc") else {
                throw UsageError(description: "--load measures loading a compiled model; '\(path)' is not a .rnc file (compile it first)")
            }
            guard !settings.profiling.isEnabled else {
                throw UsageError(description: "--profile and --trace time the steps of runs; they do not apply to --load")
            }
            guard args.string("--versus") == nil else {
                throw UsageError(description: "--versus times runs of two models; it does not apply to --load")
            }
            // ModelSource rejects source options given with a .rnc, and checks the file once.
            _ = try ModelSource.load(path, args: args)
            try benchLoad(path, settings)
        } else if let other = args.string("--versus") {
            guard !settings.profiling.isEnabled else {
                throw UsageError(description: "--profile and --trace time one model's steps; they do not apply to --versus")
            }
            try benchVersus(try ModelSource.load(path, args: args).model, try ModelSource.load(other, args: args).model, settings)
        } else {
            try benchRuns(try ModelSource.load(path, args: args).model, settings)
        }
    }

    /// `--versus`: both models in one process, one run of each in turn (the order swapped every
    /// pair), so a slow spell of a shared host falls on both; reports each model's median and
    /// the median of the per-pair ratios (second / first).
    static func benchVersus(_ first: Model, _ second: Model, _ settings: Settings) throws {
        guard first.inputs.map(\.shape) == second.inputs.map(\.shape) else {
            let shapes = { (m: Model) in m.inputs.map { $0.shape.map(String.init).joined(separator: "x") }.joined(separator: ", ") }
            throw UsageError(description: "--versus needs models with the same inputs: \(shapes(first)) vs \(shapes(second))")
        }
        let sessions = try [first, second].map { try Session(model: $0, threads: settings.threads, kernels: settings.kernels) }
        let inputs = first.plan.inputs.map { WeightInitializer.makeInput(shape: $0.tensor.shape, seed: 1) }
        for session in sessions { for _ in 0..<settings.warmup { _ = try session.run(inputs) } }
        let pairs = try PairedRuns.measure(sessions[0], sessions[1], inputs: inputs, pairs: settings.iterations)
        let ratios = PairedRuns.ratios(pairs)
        let medians = [pairs.map(\.first), pairs.map(\.second)].map { percentile($0.sorted(), 0.5) }
        let ratio = PairedRuns.medianRatio(pairs), low = percentile(ratios, 0.1), high = percentile(ratios, 0.9)
        if settings.json {
            try printJSON([
                "model": first.plan.name, "versus": second.plan.name, "median_ms": medians[0], "versus_median_ms": medians[1],
                "ratio_median": ratio, "ratio_p10": low, "ratio_p90": high, "threads": settings.threads, "pairs": settings.iterations,
            ])
        } else {
            print(String(format: "%@: median %.3f ms; versus %@: median %.3f ms; per-pair ratio (versus / first) median %.3f (p10 %.3f, p90 %.3f) over %d pairs, %d thread(s)",
                         first.plan.name, medians[0], second.plan.name, medians[1], ratio, low, high, settings.iterations, settings.threads))
        }
    }

    /// What every measurement shares.
    struct Settings {
        var threads: Int
        var iterations: Int
        var warmup: Int
        var json: Bool
        /// `--profile`, `--trace`: profile the timed runs (not the warm-up).
        var profiling: ProfileOptions
        /// `--schedule`, `--no-winograd`.
        var kernels: KernelOptions
    }

    /// Latency of `session.run` on the seeded input.
    static func benchRuns(_ model: Model, _ settings: Settings) throws {
        let plan = model.plan
        let session = try Session(model: model, threads: settings.threads, kernels: settings.kernels, profiling: settings.profiling.mode)
        let inputs = plan.inputs.map { WeightInitializer.makeInput(shape: $0.tensor.shape, seed: 1) }
        for _ in 0..<settings.warmup { _ = try session.run(inputs) }
        session.resetProfile()
        let times = try measure(settings.iterations) { _ = try session.run(inputs) }
        let median = percentile(times, 0.5), p10 = percentile(times, 0.1), p90 = percentile(times, 0.9)
        let gflops = Double(ModelReport(plan: plan).flops) / (median * 1e6)
        if settings.json {
            var object: [String: Any] = [
                "model": plan.name, "median_ms": median, "p10_ms": p10, "p90_ms": p90, "min_ms": times[0],
                "threads": settings.threads, "iterations": settings.iterations, "gflops": gflops,
                "batch": plan.inputs.first?.tensor.shape.first ?? 1,
            ]
            object["profile"] = settings.profiling.jsonRows(session)
            try printJSON(object)
        } else {
            print("\(plan.name): " + String(format: "median %.3f ms (p10 %.3f, p90 %.3f) over %d runs, %d thread(s), %.1f GFLOP/s",
                                            median, p10, p90, settings.iterations, settings.threads, gflops))
        }
        try settings.profiling.finish(session, printTable: !settings.json)
    }

    /// Time to make a `.rnc` file runnable: map and check it (`Model(contentsOf:)`), then bind a
    /// session (`Session(model:threads:)`), split into the two parts. The file stays in the page
    /// cache between iterations, so this is a warm load; the warm-up loads put it there.
    static func benchLoad(_ path: String, _ settings: Settings) throws {
        var modelTimes: [Double] = [], sessionTimes: [Double] = [], totals: [Double] = []
        var name = ""
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        for iteration in 0..<(settings.warmup + settings.iterations) {
            let start = DispatchTime.now().uptimeNanoseconds
            let model = try Model(contentsOf: path)
            let loaded = DispatchTime.now().uptimeNanoseconds
            let session = try Session(model: model, threads: settings.threads, kernels: settings.kernels)
            let ready = DispatchTime.now().uptimeNanoseconds
            withExtendedLifetime(session) {}
            name = model.plan.name
            guard iteration >= settings.warmup else { continue }
            modelTimes.append(Double(loaded - start) / 1e6)
            sessionTimes.append(Double(ready - loaded) / 1e6)
            totals.append(Double(ready - start) / 1e6)
        }
        modelTimes.sort(); sessionTimes.sort(); totals.sort()
        let median = percentile(totals, 0.5), p10 = percentile(totals, 0.1), p90 = percentile(totals, 0.9)
        let modelMedian = percentile(modelTimes, 0.5), sessionMedian = percentile(sessionTimes, 0.5)
        if settings.json {
            try printJSON([
                "model": name, "load_median_ms": median, "load_p10_ms": p10, "load_p90_ms": p90, "load_min_ms": totals[0],
                "model_median_ms": modelMedian, "session_median_ms": sessionMedian, "file_bytes": fileBytes,
                "threads": settings.threads, "iterations": settings.iterations,
            ])
        } else {
            print("\(name): " + String(format: "load median %.3f ms (p10 %.3f, p90 %.3f) over %d loads: model %.3f ms + session %.3f ms, %.1f MB file",
                                        median, p10, p90, settings.iterations, modelMedian, sessionMedian,
                                        Double(fileBytes) / 1e6))
        }
    }

    /// Wall-clock milliseconds of `iterations` calls of `body`, sorted.
    static func measure(_ iterations: Int, _ body: () throws -> Void) rethrows -> [Double] {
        var times: [Double] = []
        times.reserveCapacity(iterations)
        for _ in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return times.sorted()
    }

    /// One JSON object with sorted keys on one line.
    static func printJSON(_ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// Nearest-rank percentile of sorted samples.
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let index = min(sorted.count - 1, max(0, Int((q * Double(sorted.count - 1)).rounded())))
        return sorted[index]
    }
}
