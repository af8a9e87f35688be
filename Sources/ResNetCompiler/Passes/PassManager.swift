// Runs a pipeline of passes in order, verifying the IR after each and recording what each did.

/// What one pass did in a pipeline run.
public struct PassReport: Sendable, Equatable {
    public var name: String
    public var nodesBefore: Int
    public var nodesAfter: Int
    public var rewrites: Int
    /// Nodes the pass removed (negative if it added some).
    public var removed: Int { nodesBefore - nodesAfter }

    public init(name: String, nodesBefore: Int, nodesAfter: Int, rewrites: Int) {
        self.name = name
        self.nodesBefore = nodesBefore
        self.nodesAfter = nodesAfter
        self.rewrites = rewrites
    }

    /// `name:rewrites:before:after`, as stored in a plan's `pass_reports` metadata.
    public var encoded: String { "\(name):\(rewrites):\(nodesBefore):\(nodesAfter)" }

    /// Parses the `pass_reports` metadata of a plan (unparseable entries are skipped).
    public static func decode(_ text: String) -> [PassReport] {
        text.split(separator: ";").compactMap { entry in
            let parts = entry.split(separator: ":").map(String.init)
            guard parts.count == 4, let r = Int(parts[1]), let b = Int(parts[2]), let a = Int(parts[3]) else { return nil }
            return PassReport(name: parts[0], nodesBefore: b, nodesAfter: a, rewrites: r)
        }
    }
}

/// A pass broke an IR rule: a compiler bug, reported with the pass's name.
public struct PassError: Error, Sendable, CustomStringConvertible {
    public var pass: String
    public var message: String
    public var description: String { "error: IR invalid after pass '\(pass)': \(message)" }
}

/// Runs passes in order.
public struct PassManager: Sendable {
    public var passes: [Pass]
    /// Names of passes after which to print the IR; "all" prints after every one.
    public var printAfter: Set<String>

    public init(passes: [Pass], printAfter: Set<String> = []) {
        self.passes = passes
        self.printAfter = printAfter
    }

    /// Runs every pass; `log` receives the IR text requested by `printAfter`.
    public func run(_ graph: Graph, log: (String) -> Void = { _ in }) throws(PassError) -> (Graph, [PassReport]) {
        var current = graph
        var reports: [PassReport] = []
        for pass in passes {
            let result = pass.run(current)
            do { try Verifier.verify(result.graph) } catch {
                throw PassError(pass: pass.name, message: error.message)
            }
            reports.append(PassReport(name: pass.name, nodesBefore: current.nodes.count,
                                      nodesAfter: result.graph.nodes.count, rewrites: result.rewrites))
            current = result.graph
            let report = reports[reports.count - 1]
            if printAfter.contains(pass.name) {
                log(header(report) + "\n" + IRPrinter.print(current))
            } else if printAfter.contains("all") {
                // A log of every pass reprints the IR only when a pass changed it.
                log(report.rewrites == 0 ? header(report) : header(report) + "\n" + IRPrinter.print(current))
            }
        }
        return (current, reports)
    }

    /// `// ----- IR after fold-batchnorm (20 rewrite(s), 70 → 50 nodes) -----`, or
    /// `// ----- cse: no change (70 nodes) -----`.
    private func header(_ report: PassReport) -> String {
        guard report.rewrites > 0 || printAfter.contains(report.name) else {
            return "// ----- \(report.name): no change (\(report.nodesAfter) nodes) -----"
        }
        return "// ----- IR after \(report.name) (\(report.rewrites) rewrite(s), "
            + "\(report.nodesBefore) → \(report.nodesAfter) nodes) -----"
    }
}
