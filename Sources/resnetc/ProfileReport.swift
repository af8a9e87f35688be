// `--profile` and `--trace` for run and bench: which profiling mode the session needs, the
// per-layer table with its per-op-kind summary, and writing the Chrome trace.
import Foundation
import ResNetRuntime

/// The profiling options of one command invocation.
struct ProfileOptions {
    /// Options that take a value.
    static let names = ["--trace"]
    /// Bare flags.
    static let flags = ["--profile"]

    /// Print the per-layer table.
    var table: Bool
    /// Write a Chrome trace here.
    var tracePath: String?

    init(_ args: Arguments) {
        table = args.flag("--profile")
        tracePath = args.string("--trace")
    }

    /// Whether either was asked for.
    var isEnabled: Bool { table || tracePath != nil }

    /// What the session must record: a timeline only when one is written.
    var mode: ProfilingMode { tracePath != nil ? .trace : table ? .steps : .off }

    /// Writes the trace (if asked for), then prints the table (if asked for and `printTable`;
    /// a command printing JSON puts `jsonRows` into its object instead).
    func finish(_ session: Session, printTable: Bool = true) throws {
        if let tracePath { try session.trace.writeChromeTrace(to: tracePath) }
        if table && printTable { print("\n" + ProfileReport(plan: session.model.plan, threads: session.threads,
                                              rows: session.profile).text()) }
    }
}

extension ProfileOptions {
    /// The profile as JSON rows (`name`, `op`, `shape`, `flops`, `mean_ms`, `runs`, and `layout`
    /// for a blocked output), or nil when `--profile` was not given.
    func jsonRows(_ session: Session) -> [[String: Any]]? {
        guard table else { return nil }
        let steps = session.model.plan.steps
        return session.profile.map { row in
            var object: [String: Any] = ["name": row.name, "op": row.kind.rawValue, "kernel": row.kernel,
                                         "shape": row.outputShape,
                                         "flops": row.flops, "mean_ms": row.meanMilliseconds, "runs": row.runs]
            if steps.indices.contains(row.index), steps[row.index].output.layout != .nchw {
                object["layout"] = steps[row.index].output.layout.rawValue
            }
            return object
        }
    }
}

/// The per-layer table and per-op-kind summary of a session's profile.
struct ProfileReport {
    var plan: Plan
    var threads: Int
    var rows: [StepProfile]

    /// The row's output shape, and its layout when blocked (`1x64x56x56 nChw16c`).
    private func outputLabel(_ row: StepProfile) -> String {
        let layout = plan.steps.indices.contains(row.index) ? plan.steps[row.index].output.layout : .nchw
        return row.outputShape.shapeDescription + layout.shapeSuffix
    }

    /// Mean milliseconds per run of all steps.
    private var totalMilliseconds: Double { rows.reduce(0) { $0 + $1.meanMilliseconds } }

    /// The table, a total row, then the summary by op kind.
    func text() -> String {
        let runs = rows.first?.runs ?? 0
        let total = totalMilliseconds
        let nameWidth = min(40, max(5, rows.map(\.name.count).max() ?? 5))
        let opWidth = max(2, rows.map { opLabel($0).count }.max() ?? 2)
        let kernelWidth = max(6, rows.map(\.kernel.count).max() ?? 6)
        let shapeWidth = max(6, rows.map { outputLabel($0).count }.max() ?? 6)
        var lines = ["profile of \(plan.name): mean of \(runs) run(s), \(threads) thread(s); a conv's pre-pass counts in its row"]
        lines.append(pad("#", 4, right: true) + "  " + pad("step", nameWidth) + "  " + pad("op", opWidth) + "  "
            + pad("kernel", kernelWidth) + "  " + pad("output", shapeWidth) + "  " + columns("ms/run", "share", "GFLOP/s"))
        for row in rows {
            lines.append(pad(String(row.index), 4, right: true) + "  " + pad(row.name, nameWidth) + "  "
                + pad(opLabel(row), opWidth) + "  " + pad(row.kernel.isEmpty ? "-" : row.kernel, kernelWidth) + "  "
                + pad(outputLabel(row), shapeWidth) + "  "
                + figures(row.meanMilliseconds, of: total, flops: row.flops))
        }
        let flops = rows.reduce(0) { $0 + $1.flops }
        lines.append(pad("", 4) + "  " + pad("total", nameWidth + opWidth + kernelWidth + shapeWidth + 6) + "  "
            + figures(total, of: total, flops: flops))
        lines.append("")
        lines.append(pad("op kind", 16) + "  " + pad("steps", 5, right: true) + "  " + columns("ms/run", "share", "GFLOP/s"))
        for kind in StepKind.allCases {
            let group = rows.filter { $0.kind == kind }
            guard !group.isEmpty else { continue }
            let time = group.reduce(0) { $0 + $1.meanMilliseconds }
            lines.append(pad(kind.rawValue, 16) + "  " + pad(String(group.count), 5, right: true) + "  "
                + figures(time, of: total, flops: group.reduce(0) { $0 + $1.flops }))
        }
        return lines.joined(separator: "\n")
    }

    /// The three figure columns' headers.
    private func columns(_ time: String, _ share: String, _ rate: String) -> String {
        pad(time, 10, right: true) + "  " + pad(share, 6, right: true) + "  " + pad(rate, 8, right: true)
    }

    /// Mean ms per run, share of `total`, and GFLOP/s ("-" without FLOPs or time).
    private func figures(_ milliseconds: Double, of total: Double, flops: Int) -> String {
        let share = total > 0 ? String(format: "%.1f%%", 100 * milliseconds / total) : "-"
        let rate = flops > 0 && milliseconds > 0 ? String(format: "%.2f", Double(flops) / (milliseconds * 1e6)) : "-"
        return columns(String(format: "%.3f", milliseconds), share, rate)
    }

    /// The op column: the kind, with a conv's kernel and stride (`conv3x3/2`).
    private func opLabel(_ row: StepProfile) -> String {
        guard row.index < plan.steps.count, case .conv2d(let p) = plan.steps[row.index].op else { return row.kind.rawValue }
        return "conv\(p.kernel)x\(p.kernel)" + (p.stride > 1 ? "/\(p.stride)" : "")
    }

    private func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        guard s.count < width else { return s }
        let fill = String(repeating: " ", count: width - s.count)
        return right ? fill + s : s + fill
    }
}
