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

    /// First line `<file>: N problem(s) with the weights:`, then one indented line per problem.
    public var description: String {
        let header = "\(file): \(problems.count) problem(s) with the weights:"
        return ([header] + problems.map { "  - \($0)" }).joined(separator: "\n")
    }
}
