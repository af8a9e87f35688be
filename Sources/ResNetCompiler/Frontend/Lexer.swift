// The lexer: turns `.net` source into tokens, reporting bad characters and numbers and
// continuing after them.

/// Splits DSL source into tokens; comments run from `#` to the end of the line.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private let file: String
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private(set) var sink = DiagnosticSink()

    init(source: String, file: String) {
        self.scalars = Array(source.unicodeScalars)
        self.file = file
    }

    /// Every token of the source, ending with `.endOfFile`.
    mutating func tokenize() -> [Token] {
        var tokens: [Token] = []
        while let token = next() { tokens.append(token) }
        tokens.append(Token(kind: .endOfFile, location: here, text: ""))
        return tokens
    }

    private var here: SourceLocation { SourceLocation(file: file, line: line, column: index - lineStart + 1) }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private func text(from start: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[start..<index])
        return String(s)
    }

    private mutating func next() -> Token? {
        skipSpacesAndComments()
        guard let c = peek() else { return nil }
        let start = index, location = here
        if c == "\n" {
            index += 1
            line += 1
            lineStart = index
            return Token(kind: .newline, location: location, text: "\n")
        }
        if Self.isIdentifierStart(c) {
            while let d = peek(), Self.isIdentifierPart(d) { index += 1 }
            let word = text(from: start)
            let kind: TokenKind = Keyword(rawValue: word).map { .keyword($0) } ?? .identifier(word)
            return Token(kind: kind, location: location, text: word)
        }
        if Self.isDigit(c) { return number(start: start, location: location) }
        if c == "\"" { return string(start: start, location: location) }
        for width in [2, 1] {
            guard index + width <= scalars.count else { continue }
            if let symbol = Symbol(rawValue: text(from: start, width: width)) {
                index += width
                return Token(kind: .symbol(symbol), location: location, text: symbol.rawValue)
            }
        }
        index += 1
        let shown = c.properties.isWhitespace || c.value < 32 ? "\\u{\(String(c.value, radix: 16))}" : String(c)
        sink.error("unexpected character '\(shown)'", at: location)
        return Token(kind: .invalid, location: location, text: String(c))
    }

    private func text(from start: Int, width: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[start..<start + width])
        return String(s)
    }

    private mutating func skipSpacesAndComments() {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\r" {
                index += 1
            } else if c == "#" {
                while let d = peek(), d != "\n" { index += 1 }
            } else {
                return
            }
        }
    }

    /// An int, a float (`1.5`, `1e-5`) or a shape (`1x3x224x224`).
    private mutating func number(start: Int, location: SourceLocation) -> Token {
        consumeDigits()
        var isFloat = false, isShape = false
        if peek() == "x", let d = peek(1), Self.isDigit(d) {
            isShape = true
            while peek() == "x", let d = peek(1), Self.isDigit(d) {
                index += 1
                consumeDigits()
            }
        } else {
            if peek() == ".", let d = peek(1), Self.isDigit(d) {
                isFloat = true
                index += 1
                consumeDigits()
            }
            if peek() == "e" || peek() == "E" {
                let signWidth = (peek(1) == "-" || peek(1) == "+") ? 1 : 0
                if let d = peek(1 + signWidth), Self.isDigit(d) {
                    isFloat = true
                    index += 1 + signWidth
                    consumeDigits()
                }
            }
        }
        // Letters glued to a number (`12ab`, `3x`, `1e`) make it unreadable.
        var bad = false
        while let d = peek(), Self.isIdentifierPart(d) || d == "." && peek(1).map(Self.isDigit) == true {
            bad = true
            index += 1
        }
        let word = text(from: start)
        if bad {
            sink.error("invalid number '\(word)'", at: location)
            return Token(kind: .invalid, location: location, text: word)
        }
        if isShape {
            let dims = word.split(separator: "x").map { Int($0) }
            if dims.allSatisfy({ $0 != nil }) {
                return Token(kind: .shape(dims.map { $0! }), location: location, text: word)
            }
        } else if isFloat, let value = Double(word), value.isFinite {
            return Token(kind: .float(value), location: location, text: word)
        } else if !isFloat, let value = Int(word) {
            return Token(kind: .int(value), location: location, text: word)
        }
        sink.error("number '\(word)' is too large", at: location)
        return Token(kind: .invalid, location: location, text: word)
    }

    /// A double-quoted string that ends on the same line.
    private mutating func string(start: Int, location: SourceLocation) -> Token {
        index += 1
        while let d = peek(), d != "\"", d != "\n" { index += 1 }
        guard peek() == "\"" else {
            sink.error("unterminated string; a string ends with '\"' on the same line", at: location)
            return Token(kind: .invalid, location: location, text: text(from: start))
        }
        index += 1
        let quoted = text(from: start)
        return Token(kind: .string(String(quoted.dropFirst().dropLast())), location: location, text: quoted)
    }

    private mutating func consumeDigits() {
        while let d = peek(), Self.isDigit(d) { index += 1 }
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }
    static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool { isIdentifierStart(c) || isDigit(c) }
}
