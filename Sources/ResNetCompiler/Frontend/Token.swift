// Tokens of the `.net` DSL, as produced by the lexer.

/// What kind of token; literals carry their value.
enum TokenKind: Equatable, Sendable {
    case identifier(String)
    case keyword(Keyword)
    case int(Int)
    case float(Double)
    /// `1x3x224x224`: digits followed by `x<digit>` form one shape token.
    case shape([Int])
    /// `"imagenet_classes.txt"`: a double-quoted string on one line, no escapes (used by `labels`).
    case string(String)
    case symbol(Symbol)
    case newline
    case endOfFile
    /// A lexing error already reported; the parser skips it silently.
    case invalid
}

/// Reserved words.
enum Keyword: String, CaseIterable, Sendable {
    case network, param, input, defaults, block, output, `return`, `if`, `else`, `repeat`, `as`
    case and, or, not, `true`, `false`
}

/// Punctuation and operators.
enum Symbol: String, CaseIterable, Sendable {
    case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
    case leftBrace = "{", rightBrace = "}", comma = ",", colon = ":", assign = "=", dot = "."
    case arrow = "->", question = "?", plus = "+", minus = "-", star = "*", slash = "/"
    case percent = "%", equal = "==", notEqual = "!=", less = "<", lessEqual = "<="
    case greater = ">", greaterEqual = ">="
}

/// One token with its position and its source text.
struct Token: Sendable {
    var kind: TokenKind
    var location: SourceLocation
    var text: String

    /// How the token is named in "expected X, found Y" messages.
    var quoted: String {
        switch kind {
        case .newline: return "end of line"
        case .endOfFile: return "end of file"
        default: return "'\(text)'"
        }
    }
}
