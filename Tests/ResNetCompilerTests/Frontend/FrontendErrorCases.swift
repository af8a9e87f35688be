// The table of bad sources and the exact text the frontend must print for each.
import ResNetCompiler

/// One bad source and its expected rendered errors.
struct FrontendErrorCase: Sendable, CustomStringConvertible {
    var name: String
    var source: String
    var options = FrontendOptions()
    var expected: String
    var description: String { name }
}

enum FrontendErrorCases {
    /// Every case: calls and names, then program structure, lexing, shapes and limits.
    static let all = callCases + programCases
}
