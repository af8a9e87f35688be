// Calls: argument binding (positional, named, defaults, types), shape queries, block calls
// with their name prefixes and recursion checks, and `repeat`.

/// An argument after binding: its value and where it was written.
struct BoundArgument {
    var value: Value
    var location: SourceLocation
}

extension Elaborator {
    /// Evaluates a call of an op, a shape query or a block.
    mutating func call(_ callee: String, label: Label?, _ arguments: [Argument], at location: SourceLocation) -> Value {
        let isKnown = OpCatalog.ops[callee] != nil || OpCatalog.shapeQueries[callee] != nil || blocks[callee] != nil
        if !isKnown {
            let candidates = Array(OpCatalog.ops.keys) + Array(OpCatalog.shapeQueries.keys) + Array(blocks.keys)
            sink.error("unknown op or block '\(callee)'" + Suggestion.hint(for: callee, in: candidates), at: location)
        }
        let values = arguments.map { evaluate($0.value) }
        if let signature = OpCatalog.ops[callee] {
            return callOp(signature, label: label, arguments, values, at: location)
        }
        if let query = OpCatalog.shapeQueries[callee] {
            return shapeQuery(callee, query.axis, needsImage: query.needsImage, label: label, arguments, values, at: location)
        }
        if let decl = blocks[callee] {
            return callBlock(decl, label: label, arguments, values, at: location)
        }
        return .poison
    }

    /// Matches arguments to parameter names; nil (after reporting) when they do not fit.
    mutating func bind(_ arguments: [Argument], _ values: [Value], to names: [String], callee: String,
                       at location: SourceLocation) -> [String: BoundArgument]? {
        var bound: [String: BoundArgument] = [:]
        var ok = true
        let positional = arguments.filter { $0.name == nil }.count
        if positional > names.count {
            sink.error("\(callee) takes at most \(names.count) argument\(names.count == 1 ? "" : "s"), found \(positional)",
                       at: arguments[names.count].value.location)
            return nil
        }
        for (i, argument) in arguments.enumerated() {
            let name = argument.name ?? names[i]
            let where_ = argument.nameLocation ?? argument.value.location
            if !names.contains(name) {
                sink.error("\(callee) has no parameter '\(name)'" + Suggestion.hint(for: name, in: names), at: where_)
                ok = false
            } else if bound[name] != nil {
                sink.error("\(callee) argument '\(name)' is given twice", at: where_)
                ok = false
            } else {
                bound[name] = BoundArgument(value: values[i], location: argument.value.location)
            }
        }
        return ok ? bound : nil
    }

    private mutating func shapeQuery(_ name: String, _ axis: Int, needsImage: Bool, label: Label?,
                                     _ arguments: [Argument], _ values: [Value], at location: SourceLocation) -> Value {
        if let label {
            sink.error("\(name) is a shape query, not a layer, so it cannot be labeled", at: label.location)
        }
        guard let bound = bind(arguments, values, to: ["x"], callee: name, at: location) else { return .poison }
        guard let x = bound["x"] else {
            sink.error("\(name) is missing argument 'x'", at: location)
            return .poison
        }
        switch x.value {
        case .poison: return .poison
        case .tensor(let id):
            let shape = graph.nodes[id].shape
            guard needsImage ? shape.count == 4 : shape.count > axis else {
                sink.error("\(name) needs an NCHW tensor, found \(shape.shapeDescription)", at: x.location)
                return .poison
            }
            return .int(shape[axis])
        default:
            sink.error("\(name) argument 'x' must be a tensor, found \(x.value.typeName)", at: x.location)
            return .poison
        }
    }

    // MARK: Blocks

    private mutating func callBlock(_ decl: BlockDecl, label: Label?, _ arguments: [Argument], _ values: [Value],
                                    at location: SourceLocation) -> Value {
        if callStack.contains(decl.name) {
            sink.error("block '\(decl.name)' calls itself", at: location)
            return .poison
        }
        if callStack.count >= limits.maxBlockDepth {
            sink.error("blocks are nested more than \(limits.maxBlockDepth) calls deep", at: location)
            return .poison
        }
        let names = decl.parameters.map(\.name)
        guard let bound = bind(arguments, values, to: names, callee: "block '\(decl.name)'", at: location) else {
            return .poison
        }
        if bound.values.contains(where: { $0.value.isPoison }) { return .poison }
        // Defaults are evaluated in the block's own scope, after the given arguments.
        frames.append(bound.mapValues(\.value))
        var failed = false
        for parameter in decl.parameters where bound[parameter.name] == nil {
            if let defaultValue = parameter.defaultValue {
                let value = evaluate(defaultValue)
                failed = failed || value.isPoison
                frames[frames.count - 1][parameter.name] = value
            } else {
                sink.error("block '\(decl.name)' is missing argument '\(parameter.name)'", at: location)
                failed = true
            }
        }
        if failed {
            frames.removeLast()
            return .poison
        }
        let savedPrefix = prefix
        if let label { prefix += label.path + "." }
        callStack.append(decl.name)
        let flow = execute(decl.body)
        callStack.removeLast()
        prefix = savedPrefix
        frames.removeLast()
        guard case .returned(let result) = flow else {
            sink.error("block '\(decl.name)' ends without 'return'", at: decl.end)
            return .poison
        }
        return result
    }

    // MARK: Repeat

    /// `name = [label:] repeat N [as i] { … }`: runs the body N times, threading `name`.
    mutating func runRepeat(_ node: RepeatExpr, updating name: String, at location: SourceLocation,
                            _ exprLocation: SourceLocation) -> Value {
        guard let start = frames[frames.count - 1][name] else {
            sink.error("'\(name) = repeat …' updates '\(name)', which is not defined yet", at: location)
            return .poison
        }
        if let returnLocation = Self.firstReturn(in: node.body) {
            sink.error("'return' is not allowed inside a repeat body", at: returnLocation)
            return .poison
        }
        let countValue = evaluate(node.count)
        guard case .tensor = start else {
            if !start.isPoison { sink.error("'\(name) = repeat …' needs '\(name)' to be a tensor, found \(start.typeName)", at: location) }
            return .poison
        }
        let count: Int
        switch countValue {
        case .poison: return .poison
        case .int(let n) where (1...max(1, limits.maxRepeat)).contains(n): count = n
        case .int(let n):
            sink.error("repeat count must be between 1 and \(limits.maxRepeat), found \(n)", at: node.count.location)
            return .poison
        default:
            sink.error("repeat count must be an int, found \(countValue.typeName)", at: node.count.location)
            return .poison
        }
        let frame = frames.count - 1
        let savedPrefix = prefix
        let savedIndex = node.indexName.flatMap { frames[frame][$0] }
        var current = start
        for i in 0..<count {
            guard takeStep(at: exprLocation) else {
                current = .poison
                break
            }
            let errorsBefore = sink.count
            if let label = node.label { prefix = savedPrefix + "\(label.path).\(i)." }
            frames[frame][name] = current
            if let index = node.indexName { frames[frame][index] = .int(i) }
            _ = execute(node.body)
            let result = evaluate(node.result)
            if case .tensor = result, sink.count == errorsBefore {
                current = result
                continue
            }
            if !result.isPoison, sink.count == errorsBefore {
                sink.error("a repeat body must end with a tensor, found \(result.typeName)", at: node.result.location)
            }
            current = .poison
            break
        }
        prefix = savedPrefix
        if let index = node.indexName { frames[frame][index] = savedIndex }
        return current
    }

    private static func firstReturn(in statements: [Stmt]) -> SourceLocation? {
        for stmt in statements {
            switch stmt.kind {
            case .return: return stmt.location
            case .if(_, let a, let b): if let found = firstReturn(in: a + b) { return found }
            default: break
            }
        }
        return nil
    }
}
