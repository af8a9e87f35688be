// `resnetc bench`: latency of a model over N runs after a warm-up.
import Foundation
import ResNetCompiler
import ResNetRuntime

enum BenchCommand {
    static func run(_ argv: [String]) throws {
        if argv.contains("--help") || argv.contains("-h") { throw HelpRequested(text: Help.bench) }
        let args = try Arguments(argv, options: ["--threads", "--iterations", "--warmup"] + SourceOptions.names,
                                 flags: ["--json"] + SourceOptions.flags)
        let path = try args.single("a model (.rnc or .net) to measure")
        let threads = try args.int("--threads", in: 1...1024) ?? defaultThreadCount()
        let iterations = try args.int("--iterations", in: 1...1_000_000) ?? 20
        let warmup = try args.int("--warmup", in: 0...1_000_000) ?? 3
        let loaded = try ModelSource.load(path, args: args)
        let plan = loaded.model.plan
        let session = try Session(model: loaded.model, threads: threads)
        let inputs = plan.inputs.map { WeightInitializer.makeInput(shape: $0.tensor.shape, seed: 1) }
        for _ in 0..<warmup { _ = try session.run(inputs) }
        var times: [Double] = []
        times.reserveCapacity(iterations)
        for _ in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try session.run(inputs)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        let median = percentile(times, 0.5), p10 = percentile(times, 0.1), p90 = percentile(times, 0.9)
        let report = ModelReport(plan: plan)
        let gflops = Double(report.flops) / (median * 1e6)
        if args.flag("--json") {
            let object: [String: Any] = [
                "model": plan.name, "median_ms": median, "p10_ms": p10, "p90_ms": p90, "min_ms": times[0],
                "threads": threads, "iterations": iterations, "gflops": gflops,
                "batch": plan.inputs.first?.tensor.shape.first ?? 1,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("\(plan.name): " + String(format: "median %.3f ms (p10 %.3f, p90 %.3f) over %d runs, %d thread(s), %.1f GFLOP/s",
                                            median, p10, p90, iterations, threads, gflops))
        }
    }

    /// Nearest-rank percentile of sorted samples.
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let index = min(sorted.count - 1, max(0, Int((q * Double(sorted.count - 1)).rounded())))
        return sorted[index]
    }
}
