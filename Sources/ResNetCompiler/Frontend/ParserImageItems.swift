// Parsing the image items at the top level: `preprocess { … }` / `preprocess none` and
// `labels "file"`. Both words are contextual, so they stay usable as variable names.

extension Parser {
    /// Parses `preprocess …` or `labels "…"` when the cursor is at one; nil otherwise.
    mutating func parseImageItem(isTopLevel: Bool) throws(ParseFailure) -> StmtKind? {
        let token = peek()
        guard case .identifier(let word) = token.kind, word == "preprocess" || word == "labels" else { return nil }
        let next = peekNext().kind
        let starts: Bool
        switch next {
        // `labels = …` and `preprocess(…)` stay an assignment and a call; any other word or
        // string after them starts the item (and a wrong one gets the item's own error).
        case .symbol(.leftBrace), .identifier, .string, .int, .float, .invalid: starts = true
        default: starts = false
        }
        guard starts else { return nil }
        guard isTopLevel else { throw fail("'\(word)' is only allowed at the top level", at: token) }
        advance()
        if word == "labels" {
            let path = peek()
            guard case .string(let text) = path.kind else {
                throw fail("expected a file name in quotes after 'labels', found \(path.quoted)", at: path)
            }
            advance()
            return .labels(path: text, pathLocation: path.location)
        }
        if case .identifier("none") = peek().kind {
            advance()
            return .preprocess(nil)
        }
        guard check(.leftBrace) else {
            throw fail("expected '{' or 'none' after 'preprocess', found \(peek().quoted)", at: peek())
        }
        return .preprocess(try parsePreprocessBody())
    }

    /// `{ name value NL … }`; each value is an expression or a `[…]` list of them.
    private mutating func parsePreprocessBody() throws(ParseFailure) -> [PreprocessSetting] {
        let open = try expect(.leftBrace, "'{'")
        var settings: [PreprocessSetting] = []
        while true {
            skipNewlines()
            let token = peek()
            if token.kind == .symbol(.rightBrace) { advance(); break }
            if token.kind == .endOfFile {
                sink.error("unterminated '{'; expected '}' before the end of the file", at: open.location)
                throw ParseFailure()
            }
            let isAssignment: Bool
            if case .identifier = token.kind, peekNext().kind == .symbol(.assign) { isAssignment = true } else { isAssignment = false }
            if isAssignment || [.network, .param, .input, .defaults, .block, .output, .if].contains(where: { token.kind == .keyword($0) }) {
                // A statement: the '}' is missing. Leave the statement to be parsed.
                sink.error("unterminated '{'; expected '}' before \(token.quoted)", at: open.location)
                return settings
            }
            do throws(ParseFailure) {
                operatorBudget = Self.maxOperatorsPerStatement
                let setting = try parsePreprocessSetting()
                let end = peek()
                switch end.kind {
                case .newline, .symbol(.rightBrace): break
                default: throw fail("expected end of line after the '\(setting.name)' setting, found \(end.quoted)", at: end)
                }
                settings.append(setting)
            } catch {
                synchronize()
            }
        }
        return settings
    }

    private mutating func parsePreprocessSetting() throws(ParseFailure) -> PreprocessSetting {
        let (name, location) = try expectIdentifier("a preprocessing step (resize, center_crop, scale, mean or std)")
        guard check(.leftBracket) else {
            return PreprocessSetting(name: name, location: location, values: [try parseExpression()], isList: false)
        }
        advance()
        nesting += 1
        var values: [Expr] = []
        while !check(.rightBracket) {
            values.append(try parseExpression())
            if !check(.rightBracket) { try expect(.comma, "',' or ']' in the list") }
        }
        nesting -= 1
        advance()
        return PreprocessSetting(name: name, location: location, values: values, isList: true)
    }
}
