// Diagnostics of the DSL frontend: one located problem, the error that carries all of them,
// and their rendering as `file:line:col: error: message` plus the source line and a caret.

/// One problem found in DSL source (severity error or note), with its location.
public struct Diagnostic: Sendable, Equatable {
    /// How bad the problem is; notes only accompany an error.
    public enum Severity: String, Sendable { case error, note }
    /// Error, or a note attached to one.
    public var severity: Severity
    /// Where the problem is; nil for problems outside the source (e.g. a bad `--define`).
    public var location: SourceLocation?
    /// What is wrong, e.g. "unknown op or block 'batchnrom'; did you mean 'batchnorm'?".
    public var message: String
    /// Extra located remarks, such as "first defined here".
    public var notes: [Diagnostic]

    /// Creates a diagnostic.
    public init(severity: Severity = .error, location: SourceLocation?, message: String,
                notes: [Diagnostic] = []) {
        self.severity = severity
        self.location = location
        self.message = message
        self.notes = notes
    }

    /// A note at `location`.
    public static func note(_ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(severity: .note, location: location, message: message)
    }
}

/// Every error found in one source file; `description` is the rendered text.
public struct DSLError: Error, Sendable, CustomStringConvertible {
    /// The file name as passed to the frontend; it starts every rendered line.
    public var fileName: String
    /// Errors sorted by position (unlocated ones first).
    public var diagnostics: [Diagnostic]
    /// What the CLI prints to stderr: each diagnostic with its source line and caret.
    public var rendered: String
    /// The rendered text.
    public var description: String { rendered }

    /// Sorts the diagnostics by position and renders them against `source`.
    public init(fileName: String, diagnostics: [Diagnostic], source: String) {
        self.fileName = fileName
        // Stable: diagnostics at the same position keep the order they were found in.
        self.diagnostics = diagnostics.enumerated().sorted { a, b in
            Diagnostic.isBefore(a.element, b.element) || (!Diagnostic.isBefore(b.element, a.element) && a.offset < b.offset)
        }.map(\.element)
        self.rendered = DiagnosticRenderer(fileName: fileName, source: source).render(self.diagnostics)
    }
}

extension Diagnostic {
    /// Position order: unlocated first, then by line and column.
    static func isBefore(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        switch (a.location, b.location) {
        case (nil, nil): return false
        case (nil, _): return true
        case (_, nil): return false
        case let (l?, r?): return (l.line, l.column) < (r.line, r.column)
        }
    }
}

/// Turns diagnostics into text, quoting the source line with a caret under the column.
struct DiagnosticRenderer {
    let fileName: String
    let lines: [Substring]

    init(fileName: String, source: String) {
        self.fileName = fileName
        self.lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// All diagnostics (and their notes), separated by newlines, without a trailing newline.
    func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.flatMap { [renderOne($0)] + $0.notes.map(renderOne) }.joined(separator: "\n")
    }

    private func renderOne(_ d: Diagnostic) -> String {
        guard let loc = d.location else { return "\(fileName): \(d.severity.rawValue): \(d.message)" }
        var text = "\(fileName):\(loc.line):\(loc.column): \(d.severity.rawValue): \(d.message)"
        guard loc.line >= 1, loc.line <= lines.count else { return text }
        var line = String(lines[loc.line - 1])
        if line.hasSuffix("\r") { line.removeLast() }
        // Same whitespace as the line so the caret lines up under tabs too.
        let before = line.unicodeScalars.prefix(max(0, loc.column - 1)).map { $0 == "\t" ? "\t" : " " }
        let padding = before.joined() + String(repeating: " ", count: max(0, loc.column - 1 - before.count))
        text += "\n" + line + "\n" + padding + "^"
        return text
    }
}

/// Collects diagnostics while a phase runs, dropping exact repeats (e.g. from repeated blocks)
/// and stopping after `limit` so hostile input cannot flood the output.
struct DiagnosticSink {
    static let limit = 100
    private(set) var diagnostics: [Diagnostic] = []
    private var seen: Set<String> = []

    mutating func error(_ message: String, at location: SourceLocation?, notes: [Diagnostic] = []) {
        guard diagnostics.count <= Self.limit else { return }
        guard seen.insert("\(location?.description ?? "")|\(message)").inserted else { return }
        if diagnostics.count == Self.limit {
            diagnostics.append(Diagnostic(location: nil, message: "too many errors (more than \(Self.limit)); stopping"))
            return
        }
        diagnostics.append(Diagnostic(location: location, message: message, notes: notes))
    }

    var hasErrors: Bool { !diagnostics.isEmpty }
    var count: Int { diagnostics.count }
}
