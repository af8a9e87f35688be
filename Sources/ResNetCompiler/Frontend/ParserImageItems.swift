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
        case .symbol(.leftBrace), .identifier("none"), .string: starts = true
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
            do throws(ParseFailure) {
                operatorBudget = Self.maxOperatorsPerStatement
                settings.append(try parsePreprocessSetting())
                let end = peek()
                switch end.kind {
                case .newline, .symbol(.rightBrace): break
                default: throw fail("expected end of line after the '\(settings.last!.name)' setting, found \(end.quoted)", at: end)
                }
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
