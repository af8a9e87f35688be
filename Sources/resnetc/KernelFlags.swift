// Kernel choices the run-time commands (run, bench, eval) take from the command line.
import ResNetRuntime

enum KernelFlags {
    /// Flags (no value) every run-time command accepts.
    static let flags = ["--no-winograd", "--whole-batch"]
    /// Options (with a value) every run-time command accepts.
    static let names = ["--schedule"]

    /// The session's kernel options: `--schedule NAME` forces the algorithm of 3×3 convs (stride
    /// 1 or 2) over blocked tensors (`auto`, `direct`, `winograd2`, `winograd4`); `--no-winograd`
    /// is `--schedule direct`; `--whole-batch` runs a batched model step by step over the whole
    /// batch instead of image by image.
    static func options(_ args: Arguments) throws(UsageError) -> KernelOptions {
        var schedule = ConvSchedule.auto
        if let name = args.string("--schedule") {
            guard let named = ConvSchedule(rawValue: name) else {
                let known = ConvSchedule.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
                throw UsageError(description: "--schedule takes one of \(known), found '\(name)'")
            }
            schedule = named
        }
        if args.flag("--no-winograd") {
            guard schedule == .auto || schedule == .direct else {
                throw UsageError(description: "--no-winograd contradicts --schedule \(schedule.rawValue)")
            }
            schedule = .direct
        }
        return KernelOptions(schedule: schedule, imageLanes: !args.flag("--whole-batch"))
    }
}
