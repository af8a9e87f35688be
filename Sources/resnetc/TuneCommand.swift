// `resnetc tune`: times each conv's candidate kernel choices on this machine (Tuner) and writes
// a .rnc whose plan stores the winners, then prints what changed.
import Foundation
import ResNetCompiler
import ResNetRuntime

enum TuneCommand {
    static func run(_ argv: [String]) throws {
        if argv.contains("--help") || argv.contains("-h") { throw HelpRequested(text: Help.tune) }
        let args = try Arguments(argv, options: ["-o", "--output", "--threads", "--rounds", "--runs", "--margin"] + SourceOptions.names,
                                 flags: ["--json"] + SourceOptions.flags)
        let path = try args.single("a model (.rnc or .net) to tune")
        guard let output = args.string("-o") ?? args.string("--output") else {
            throw UsageError(description: "tune writes a new model: give its path with -o FILE.rnc")
        }
        let settings = TunerSettings(threads: try args.int("--threads", in: 1...1024) ?? defaultThreadCount(),
                                     rounds: try args.int("--rounds", in: 1...1000) ?? 3,
                                     runs: try args.int("--runs", in: 1...10_000) ?? 5,
                                     margin: Double(try args.int("--margin", in: 0...99) ?? 3) / 100)
        let json = args.flag("--json")
        let model = try ModelSource.load(path, args: args).model
        let inputs = model.plan.inputs.map { WeightInitializer.makeInput(shape: $0.tensor.shape, seed: 1) }
        let (tuned, steps, ratio) = try Tuner.tune(model, inputs: inputs, settings: settings) { round in
            if !json { printError("round \(round + 1) of \(settings.rounds)") }
        }
        try tuned.withWeights { weights in try RNCFile.write(plan: tuned.plan, weights: Array(weights), to: output) }
        let kept = tuned.plan.steps.contains { $0.tuning != nil }
        if json {
            try printJSON(steps, output: output, settings: settings, ratio: ratio, kept: kept)
        } else {
            printTable(steps, output: output, settings: settings, ratio: ratio, kept: kept)
        }
    }

    /// One line per conv step: its default kernel and time, and the tuned ones if they changed.
    static func printTable(_ steps: [TunedStep], output: String, settings: TunerSettings, ratio: Double, kept: Bool) {
        print("tuned for \(settings.threads) thread(s), best of \(settings.rounds) × \(settings.runs) runs per candidate, "
              + "kept where \(Int((settings.margin * 100).rounded())) % faster:")
        let width = max(4, steps.map(\.name.count).max() ?? 4)
        print("  " + "step".padding(toLength: width, withPad: " ", startingAt: 0)
              + "  default kernel       ms   tuned                          ms   tried")
        for step in steps {
            let chosen = step.chosen.map { "\($0.summary) (\(step.kernel))" } ?? "-"
            print("  " + step.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                  + step.defaultKernel.padding(toLength: 16, withPad: " ", startingAt: 0)
                  + String(format: "%7.3f   ", step.defaultMilliseconds)
                  + chosen.padding(toLength: 28, withPad: " ", startingAt: 0)
                  + (step.chosen == nil ? "      " : String(format: "%7.3f", step.milliseconds))
                  + "   \(step.tried)")
        }
        let before = steps.reduce(0) { $0 + $1.defaultMilliseconds }, after = steps.reduce(0) { $0 + $1.milliseconds }
        let changed = steps.filter { $0.chosen != nil }.count
        print(String(format: "%d of %d convs picked a choice; their steps' best times sum to %.3f ms, from %.3f ms.",
                     changed, steps.count, after, before))
        if changed > 0 {
            print(String(format: "Whole model, picks / defaults, median of %d paired runs: %.3f: %@.", settings.rounds * settings.runs,
                         ratio, kept ? "picks stored" : "not faster, defaults kept"))
        }
        print("Wrote \(output).")
    }

    /// The verdicts as one JSON object.
    static func printJSON(_ steps: [TunedStep], output: String, settings: TunerSettings, ratio: Double, kept: Bool) throws {
        let rows: [[String: Any]] = steps.map { step in
            var row: [String: Any] = ["step": step.name, "default_kernel": step.defaultKernel,
                                      "default_ms": step.defaultMilliseconds, "tried": step.tried]
            if let chosen = step.chosen {
                row["tuned"] = chosen.summary
                row["kernel"] = step.kernel
                row["ms"] = step.milliseconds
            }
            return row
        }
        try BenchCommand.printJSON(["output": output, "threads": settings.threads, "rounds": settings.rounds,
                                    "runs": settings.runs, "steps": rows, "ratio": ratio, "kept": kept])
    }
}
