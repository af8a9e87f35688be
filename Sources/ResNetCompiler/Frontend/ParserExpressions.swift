// The parser's expression layer, loosest first: `->` pipelines, `?:`, or, and, not,
// comparisons, + -, * / %, unary minus, calls/labels/repeat/literals.

extension Parser {
    /// A full expression (a pipeline).
    mutating func parseExpression() throws(ParseFailure) -> Expr {
        try enter()
        defer { depth -= 1 }
        var value = try parseConditional()
        while check(.arrow) {
            try spendOperator(at: advance())
            skipNewlines()
            value = try parsePipeTarget(input: value)
        }
        return value
    }

    /// `[label:] f [(args)]` after `->`; the piped value becomes the first argument.
    private mutating func parsePipeTarget(input: Expr) throws(ParseFailure) -> Expr {
        var label: Label?
        if case .identifier = peek().kind, isLabelStart() { label = try parseLabel() }
        let (callee, location) = try expectIdentifier("an op or block name after '->'")
        var arguments = [Argument(name: nil, nameLocation: nil, value: input)]
        if check(.leftParen) { arguments += try parseArguments() }
        return Expr(kind: .call(callee: callee, label: label, arguments: arguments), location: location)
    }

    private mutating func parseConditional() throws(ParseFailure) -> Expr {
        let condition = try parseOr()
        guard check(.question) else { return condition }
        try spendOperator(at: advance())
        try enter()
        defer { depth -= 1 }
        skipNewlines()
        let saved = labelsAllowed
        labelsAllowed = false
        let then = try parseConditional()
        labelsAllowed = saved
        try expect(.colon, "':' in '?:'")
        skipNewlines()
        let otherwise = try parseConditional()
        if check(.colon) {
            // `c ? name: f(x) : y` read `name` as the whole `then` branch.
            throw fail("labels are not allowed in the 'then' branch of '?:'; wrap it in parentheses", at: peek())
        }
        return Expr(kind: .conditional(condition, then, otherwise), location: condition.location)
    }

    private mutating func parseOr() throws(ParseFailure) -> Expr {
        var left = try parseAnd()
        while check(.or) {
            let operatorToken = advance()
            try spendOperator(at: operatorToken)
            skipNewlines()
            left = Expr(kind: .binary(.or, left, try parseAnd()), location: operatorToken.location)
        }
        return left
    }

    private mutating func parseAnd() throws(ParseFailure) -> Expr {
        var left = try parseNot()
        while check(.and) {
            let operatorToken = advance()
            try spendOperator(at: operatorToken)
            skipNewlines()
            left = Expr(kind: .binary(.and, left, try parseNot()), location: operatorToken.location)
        }
        return left
    }

    private mutating func parseNot() throws(ParseFailure) -> Expr {
        guard check(.not) else { return try parseComparison() }
        let token = advance()
        try spendOperator(at: token)
        try enter()
        defer { depth -= 1 }
        return Expr(kind: .unary(.not, try parseNot()), location: token.location)
    }

    private mutating func parseComparison() throws(ParseFailure) -> Expr {
        let left = try parseAdditive()
        guard case .symbol(let s) = peek().kind,
              let op = BinaryOperator(rawValue: s.rawValue),
              [.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual].contains(op) else { return left }
        let operatorToken = advance()
            try spendOperator(at: operatorToken)
        skipNewlines()
        return Expr(kind: .binary(op, left, try parseAdditive()), location: operatorToken.location)
    }

    private mutating func parseAdditive() throws(ParseFailure) -> Expr {
        var left = try parseMultiplicative()
        while case .symbol(let s) = peek().kind, s == .plus || s == .minus {
            let operatorToken = advance()
            try spendOperator(at: operatorToken)
            skipNewlines()
            let op: BinaryOperator = s == .plus ? .add : .subtract
            left = Expr(kind: .binary(op, left, try parseMultiplicative()), location: operatorToken.location)
        }
        return left
    }

    private mutating func parseMultiplicative() throws(ParseFailure) -> Expr {
        var left = try parseUnary()
        while case .symbol(let s) = peek().kind, s == .star || s == .slash || s == .percent {
            let operatorToken = advance()
            try spendOperator(at: operatorToken)
            skipNewlines()
            let op: BinaryOperator = s == .star ? .multiply : s == .slash ? .divide : .remainder
            left = Expr(kind: .binary(op, left, try parseUnary()), location: operatorToken.location)
        }
        return left
    }

    private mutating func parseUnary() throws(ParseFailure) -> Expr {
        guard check(.minus) else { return try parsePrimary() }
        let token = advance()
        try spendOperator(at: token)
        try enter()
        defer { depth -= 1 }
        return Expr(kind: .unary(.negate, try parseUnary()), location: token.location)
    }

    private mutating func parsePrimary() throws(ParseFailure) -> Expr {
        let token = peek()
        switch token.kind {
        case .int(let v): advance(); return Expr(kind: .int(v), location: token.location)
        case .float(let v): advance(); return Expr(kind: .float(v), location: token.location)
        case .keyword(.true): advance(); return Expr(kind: .bool(true), location: token.location)
        case .keyword(.false): advance(); return Expr(kind: .bool(false), location: token.location)
        case .keyword(.repeat): return try parseRepeat(label: nil)
        case .symbol(.leftParen):
            advance()
            let saved = labelsAllowed
            nesting += 1
            labelsAllowed = true
            let inner = try parseExpression()
            labelsAllowed = saved
            try expect(.rightParen, "')'")
            nesting -= 1
            return inner
        case .symbol(.arrow):
            throw fail("a line cannot start with '->'; end the previous line with '->' instead", at: token)
        case .shape:
            throw fail("a shape like '\(token.text)' is only allowed after 'input name:'", at: token)
        case .identifier(let name):
            if labelsAllowed && isLabelStart() { return try parseLabeled() }
            advance()
            if check(.leftParen) {
                let arguments = try parseArguments()
                return Expr(kind: .call(callee: name, label: nil, arguments: arguments), location: token.location)
            }
            return Expr(kind: .name(name), location: token.location)
        default:
            throw fail("expected an expression, found \(token.quoted)", at: token)
        }
    }

    /// Whether the identifier at the cursor starts a label (`name:` or `name.`).
    mutating func isLabelStart() -> Bool {
        let next = peekNext().kind
        return next == .symbol(.colon) || next == .symbol(.dot)
    }

    /// `a.b.0:` → the dotted path, consuming the colon.
    mutating func parseLabel() throws(ParseFailure) -> Label {
        let (first, location) = try expectIdentifier("a label")
        var path = first
        while check(.dot) {
            advance()
            let token = peek()
            switch token.kind {
            case .identifier(let part): path += "." + part
            case .int(let part): path += ".\(part)"
            case .float where token.text.allSatisfy({ $0.isNumber || $0 == "." }): path += "." + token.text
            default: throw fail("expected a name or number after '.' in a label, found \(token.quoted)", at: token)
            }
            advance()
        }
        try expect(.colon, "':' after the label '\(path)'")
        return Label(path: path, location: location)
    }

    /// `label: f(args)`, `label: f` or `label: repeat …`.
    private mutating func parseLabeled() throws(ParseFailure) -> Expr {
        let label = try parseLabel()
        if check(.repeat) { return try parseRepeat(label: label) }
        let (callee, location) = try expectIdentifier("an op, block or 'repeat' after the label")
        let arguments = check(.leftParen) ? try parseArguments() : []
        return Expr(kind: .call(callee: callee, label: label, arguments: arguments), location: location)
    }

    /// `repeat count [as i] { statements… result }`.
    private mutating func parseRepeat(label: Label?) throws(ParseFailure) -> Expr {
        let token = advance()
        let count = try parseOr()
        var indexName: String?
        if check(.as) {
            advance()
            indexName = try expectIdentifier("an index name after 'as'").0
        }
        let inBlock = true // the body may not declare top-level things either way
        var (body, end) = try parseBody(.repeatBody(inBlock: inBlock))
        guard let last = body.last, case .expression(let result) = last.kind else {
            sink.error("a repeat body must end with an expression (the new value)", at: end)
            throw ParseFailure()
        }
        body.removeLast()
        let node = RepeatExpr(label: label, count: count, indexName: indexName, body: body, result: result)
        return Expr(kind: .repeat(node), location: label?.location ?? token.location)
    }

    /// `(a, b, name: c)`: positional arguments first, then named ones.
    mutating func parseArguments() throws(ParseFailure) -> [Argument] {
        try expect(.leftParen, "'('")
        let saved = labelsAllowed
        nesting += 1
        labelsAllowed = true
        defer { labelsAllowed = saved }
        var arguments: [Argument] = []
        while !check(.rightParen) {
            let token = peek()
            if case .identifier(let name) = token.kind, peekNext().kind == .symbol(.colon) {
                advance()
                advance()
                arguments.append(Argument(name: name, nameLocation: token.location, value: try parseExpression()))
            } else {
                if arguments.contains(where: { $0.name != nil }) {
                    throw fail("positional argument after a named argument", at: token)
                }
                arguments.append(Argument(name: nil, nameLocation: nil, value: try parseExpression()))
            }
            if !check(.rightParen) { try expect(.comma, "',' or ')' in the argument list") }
        }
        nesting -= 1
        advance()
        return arguments
    }
}
