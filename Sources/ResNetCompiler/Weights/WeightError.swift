// The one error type of the weights layer: every problem found in a weights file, listed.

/// Problems with a weights file; `description` lists them all, naming the file.
public struct WeightError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (or buffer name) the problems were found in.
    public var file: String
    /// One human-readable line per problem.
    public var problems: [String]

    /// Makes an error for `file` listing `problems`.
    public init(file: String, problems: [String]) {
        self.file = file
        self.problems = problems
    }

    /// Problems listed in `description` before the rest are summarized.
    public static let listedProblems = 20

    /// First line `<file>: N problem(s) with the weights:`, then one indented line per problem
    /// (the first `listedProblems` of them: a wrong file gives hundreds).
    public var description: String {
        let header = "\(file): \(problems.count) problem(s) with the weights:"
        var lines = [header] + problems.prefix(Self.listedProblems).map { "  - \($0)" }
        if problems.count > Self.listedProblems {
            lines.append("  … and \(problems.count - Self.listedProblems) more")
        }
        return lines.joined(separator: "\n")
    }
}
