// The parser's statement layer: token cursor, statements, bodies, and error recovery at the
// next line so every syntax error in a file is reported.

/// Thrown inside the parser after a diagnostic was recorded; caught at statement level.
struct ParseFailure: Error {}

/// Recursive-descent parser over the lexer's tokens.
struct Parser {
    var tokens: [Token]
    var position = 0
    var sink = DiagnosticSink()
    /// Open parentheses/brackets: inside them newlines do not end anything.
    var nesting = 0
    /// False in the `then` branch of `?:`, where `name:` is the separator, not a label.
    var labelsAllowed = true
    /// Current nesting of parentheses, bodies and prefix operators (bounded so deep input
    /// cannot exhaust the stack).
    var depth = 0
    /// Operator nodes in the current statement (bounded: evaluation recurses through them).
    var operatorBudget = 0
    static let maxDepth = 100
    static let maxOperatorsPerStatement = 500

    init(tokens: [Token]) { self.tokens = tokens }

    /// Parses a whole file into top-level statements.
    mutating func parseProgram() -> [Stmt] {
        parseStatements(context: .topLevel, closing: nil)
    }

    // MARK: Cursor

    /// The current token; newlines are skipped while inside parentheses or brackets, unless
    /// the next line clearly starts a new statement (then a missing ')' is reported there).
    mutating func peek() -> Token {
        while nesting > 0, tokens[position].kind == .newline, !nextLineStartsStatement() { position += 1 }
        return tokens[position]
    }

    /// Whether the first token after the newlines at the cursor begins a statement.
    private func nextLineStartsStatement() -> Bool {
        var i = position
        while tokens[i].kind == .newline { i += 1 }
        switch tokens[i].kind {
        case .keyword(.network), .keyword(.param), .keyword(.input), .keyword(.defaults), .keyword(.block),
             .keyword(.output), .keyword(.return), .keyword(.if), .symbol(.rightBrace):
            return true
        case .identifier:
            return tokens[min(i + 1, tokens.count - 1)].kind == .symbol(.assign)
        default:
            return false
        }
    }

    /// Statement keywords, for suggestions on a misspelled one.
    static let statementKeywords = ["network", "param", "input", "defaults", "block", "output", "return", "if",
                                    "preprocess", "labels"]

    /// The token after the current one (no newline skipping).
    func peekNext() -> Token { tokens[min(position + 1, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> Token {
        let token = peek()
        if token.kind != .endOfFile { position += 1 }
        return token
    }

    mutating func check(_ symbol: Symbol) -> Bool { peek().kind == .symbol(symbol) }
    mutating func check(_ keyword: Keyword) -> Bool { peek().kind == .keyword(keyword) }

    mutating func skipNewlines() {
        while tokens[position].kind == .newline { position += 1 }
    }

    /// Records an error (unless the token is an already-reported lexer error) and fails.
    mutating func fail(_ message: String, at token: Token) -> ParseFailure {
        if token.kind != .invalid { sink.error(message, at: token.location) }
        return ParseFailure()
    }

    @discardableResult
    mutating func expect(_ symbol: Symbol, _ what: String) throws(ParseFailure) -> Token {
        let token = peek()
        guard token.kind == .symbol(symbol) else { throw fail("expected \(what), found \(token.quoted)", at: token) }
        return advance()
    }

    mutating func expectIdentifier(_ what: String) throws(ParseFailure) -> (String, SourceLocation) {
        let token = peek()
        guard case .identifier(let name) = token.kind else {
            throw fail("expected \(what), found \(token.quoted)", at: token)
        }
        advance()
        return (name, token.location)
    }

    /// Enters one nesting level; fails past `maxDepth`. Pair with `depth -= 1`.
    mutating func enter() throws(ParseFailure) {
        depth += 1
        if depth > Self.maxDepth {
            let token = peek()
            depth -= 1
            sink.error("nesting is deeper than \(Self.maxDepth) levels", at: token.location)
            throw ParseFailure()
        }
    }

    /// Counts one operator node; fails when the statement has too many.
    mutating func spendOperator(at token: Token) throws(ParseFailure) {
        operatorBudget -= 1
        if operatorBudget < 0 {
            sink.error("expression has more than \(Self.maxOperatorsPerStatement) operators", at: token.location)
            throw ParseFailure()
        }
    }

    /// Skips to the start of the next statement: past the line end, keeping braces balanced.
    mutating func synchronize() {
        nesting = 0
        labelsAllowed = true
        var braces = 0
        while true {
            let token = tokens[position]
            switch token.kind {
            case .endOfFile: return
            case .newline where braces == 0: position += 1; return
            case .symbol(.rightBrace) where braces == 0: return
            case .symbol(.rightBrace): braces -= 1
            case .symbol(.leftBrace): braces += 1
            default: break
            }
            position += 1
        }
    }

    // MARK: Statements

    /// Where a statement list sits, which decides what it may contain.
    enum Context { case topLevel, block, nested(inBlock: Bool), repeatBody(inBlock: Bool) }

    /// Statements until `}` (when `closing` is the opening brace) or the end of the file.
    mutating func parseStatements(context: Context, closing: Token?) -> [Stmt] {
        var statements: [Stmt] = []
        while true {
            skipNewlines()
            let token = peek()
            if token.kind == .endOfFile {
                if let open = closing { sink.error("unterminated '{'; expected '}' before the end of the file", at: open.location) }
                break
            }
            if let open = closing, case .block = context, case .keyword(let k) = token.kind,
               [.network, .param, .input, .defaults, .block, .output].contains(k) {
                // A top-level declaration inside a block body: the block's '}' is missing.
                sink.error("unterminated '{'; expected '}' before '\(k.rawValue)'", at: open.location)
                break
            }
            if token.kind == .symbol(.rightBrace) {
                if closing != nil { advance(); break }
                sink.error("unexpected '}' with no matching '{'", at: token.location)
                advance()
                continue
            }
            do throws(ParseFailure) {
                operatorBudget = Self.maxOperatorsPerStatement
                statements.append(try parseStatement(context))
                try expectEndOfStatement()
            } catch {
                synchronize()
            }
        }
        checkExpressionStatements(statements, context: context)
        return statements
    }

    /// Bare expressions are only the last line of a `repeat` body.
    private mutating func checkExpressionStatements(_ statements: [Stmt], context: Context) {
        var allowedIndex = -1
        if case .repeatBody = context { allowedIndex = statements.count - 1 }
        for (i, s) in statements.enumerated() {
            if case .expression = s.kind, i != allowedIndex {
                sink.error("unused expression; assign it with 'name = …'", at: s.location)
            }
        }
    }

    private mutating func expectEndOfStatement() throws(ParseFailure) {
        // A body that stopped at a line start (unterminated block) already ended the line.
        if position > 0, tokens[position - 1].kind == .newline { return }
        let token = peek()
        switch token.kind {
        case .newline, .endOfFile, .symbol(.rightBrace): return
        default: throw fail("expected end of line after statement, found \(token.quoted)", at: token)
        }
    }

    private mutating func parseStatement(_ context: Context) throws(ParseFailure) -> Stmt {
        let token = peek()
        var isTopLevel = false, inBlock = false
        switch context {
        case .topLevel: isTopLevel = true
        case .block: inBlock = true
        case .nested(let b), .repeatBody(let b): inBlock = b
        }
        if case .keyword(let k) = token.kind {
            switch k {
            case .network, .param, .input, .defaults, .block, .output:
                guard isTopLevel else { throw fail("'\(k.rawValue)' is only allowed at the top level", at: token) }
                advance()
                return Stmt(kind: try parseDeclaration(k), location: token.location)
            case .return:
                guard inBlock else { throw fail("'return' is only allowed inside a block", at: token) }
                advance()
                return Stmt(kind: .return(try parseExpression()), location: token.location)
            case .if:
                advance()
                return Stmt(kind: try parseIf(inBlock: inBlock), location: token.location)
            default: break
            }
        }
        if let item = try parseImageItem(isTopLevel: isTopLevel) {
            return Stmt(kind: item, location: token.location)
        }
        if case .identifier(let word) = token.kind, case .identifier = peekNext().kind {
            throw fail("unknown statement '\(word)'" + Suggestion.hint(for: word, in: Self.statementKeywords), at: token)
        }
        if case .identifier(let name) = token.kind, peekNext().kind == .symbol(.assign) {
            advance()
            advance()
            let value = parseExpressionRecovering()
            return Stmt(kind: .assign(name: name, value: value), location: token.location)
        }
        return Stmt(kind: .expression(try parseExpression()), location: token.location)
    }

    /// Parses an expression; on failure the statement still binds its name (to a silent poison).
    private mutating func parseExpressionRecovering() -> Expr {
        let start = peek().location
        do throws(ParseFailure) {
            return try parseExpression()
        } catch {
            synchronizeWithinLine()
            return Expr(kind: .error, location: start)
        }
    }

    /// Skips the rest of a broken line but leaves its end for `expectEndOfStatement`.
    private mutating func synchronizeWithinLine() {
        synchronize()
        if position > 0, tokens[position - 1].kind == .newline { position -= 1 }
    }

    private mutating func parseDeclaration(_ keyword: Keyword) throws(ParseFailure) -> StmtKind {
        switch keyword {
        case .network:
            return .network(try expectIdentifier("a network name").0)
        case .param:
            let (name, _) = try expectIdentifier("a parameter name")
            try expect(.assign, "'=' after the parameter name")
            return .param(name: name, value: parseExpressionRecovering())
        case .input:
            let (name, _) = try expectIdentifier("an input name")
            try expect(.colon, "':' after the input name")
            do throws(ParseFailure) {
                return .input(name: name, shape: try parseInputShape())
            } catch {
                synchronizeWithinLine()
                return .input(name: name, shape: .invalid)
            }
        case .defaults:
            let (op, location) = try expectIdentifier("an op name")
            return .defaults(op: op, opLocation: location, arguments: try parseArguments())
        case .block:
            return .block(try parseBlock())
        default: // .output
            let (name, _) = try expectIdentifier("an output name")
            try expect(.assign, "'=' after the output name")
            return .output(name: name, value: parseExpressionRecovering())
        }
    }

    private mutating func parseInputShape() throws(ParseFailure) -> InputShape {
        let token = peek()
        if case .shape(let dims) = token.kind {
            advance()
            return .literal(dims, token.location)
        }
        guard token.kind == .symbol(.leftBracket) else {
            throw fail("expected a shape such as 1x3x224x224 or [1, 3, size, size], found \(token.quoted)", at: token)
        }
        advance()
        nesting += 1
        var dims: [Expr] = []
        while !check(.rightBracket) {
            dims.append(try parseExpression())
            if !check(.rightBracket) { try expect(.comma, "',' or ']' in the shape") }
        }
        nesting -= 1
        advance()
        return .dims(dims)
    }

    private mutating func parseBlock() throws(ParseFailure) -> BlockDecl {
        let (name, location) = try expectIdentifier("a block name")
        try expect(.leftParen, "'(' after the block name")
        nesting += 1
        var parameters: [BlockParameter] = []
        while !check(.rightParen) {
            let (param, paramLocation) = try expectIdentifier("a parameter name")
            var defaultValue: Expr?
            if check(.assign) {
                advance()
                defaultValue = try parseExpression()
            }
            parameters.append(BlockParameter(name: param, location: paramLocation, defaultValue: defaultValue))
            if !check(.rightParen) { try expect(.comma, "',' or ')' after a parameter") }
        }
        nesting -= 1
        advance()
        let (body, end) = try parseBody(.block)
        return BlockDecl(name: name, location: location, parameters: parameters, body: body, end: end)
    }

    /// `{ statements }`; returns the statements and where the closing brace (or the end) is.
    mutating func parseBody(_ context: Context) throws(ParseFailure) -> ([Stmt], SourceLocation) {
        try enter()
        defer { depth -= 1 }
        let savedBudget = operatorBudget
        defer { operatorBudget = savedBudget }
        let savedNesting = nesting, savedLabels = labelsAllowed
        let open = try expect(.leftBrace, "'{'")
        nesting = 0
        labelsAllowed = true
        let body = parseStatements(context: context, closing: open)
        nesting = savedNesting
        labelsAllowed = savedLabels
        return (body, tokens[max(0, position - 1)].location)
    }

    private mutating func parseIf(inBlock: Bool) throws(ParseFailure) -> StmtKind {
        try enter()
        defer { depth -= 1 }
        let condition = try parseExpression()
        let (thenBody, _) = try parseBody(.nested(inBlock: inBlock))
        var elseBody: [Stmt] = []
        // `else` may sit on the line after the `}`.
        let afterThen = position
        skipNewlines()
        if !check(.else) { position = afterThen }
        if check(.else) {
            advance()
            if check(.if) {
                let token = advance()
                elseBody = [Stmt(kind: try parseIf(inBlock: inBlock), location: token.location)]
            } else {
                elseBody = try parseBody(.nested(inBlock: inBlock)).0
            }
        }
        return .if(condition: condition, then: thenBody, else: elseBody)
    }
}
