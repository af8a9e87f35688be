// The elaborator's state and statements: runs the program once, building the Graph IR, and
// keeps going after errors (poison values stop cascades) so every error is reported.

/// Walks the AST, evaluating params and expressions and appending IR nodes.
struct Elaborator {
    /// Bound on int op arguments (channels, kernel, stride, padding, …) so shape arithmetic cannot overflow.
    static let maxIntArgument = 1 << 24

    let file: String
    let options: FrontendOptions
    var limits: FrontendLimits { options.limits }
    var graph: Graph
    var sink = DiagnosticSink()
    /// Blocks by name, collected before running so they may be called before their definition.
    var blocks: [String: BlockDecl] = [:]
    /// Top-level `param`s (visible everywhere) and where each was declared.
    var params: [String: Value] = [:]
    var paramLocations: [String: SourceLocation] = [:]
    /// Variable frames: the top level, then one per running block call.
    var frames: [[String: Value]] = [[:]]
    /// `defaults op(name: value)` overrides, by op then parameter.
    var opDefaults: [String: [String: Value]] = [:]
    /// Full layer names already used, with where.
    var layerNames: [String: SourceLocation] = [:]
    /// The name prefix (`layer1.0.`) from enclosing labeled block calls and repeats.
    var prefix = ""
    /// Blocks currently running, innermost last (for recursion checks).
    var callStack: [String] = []
    var inputLocation: SourceLocation?
    var outputLocations: [String: SourceLocation] = [:]
    var nodeLimitReported = false
    /// Weight floats of the nodes added so far, checked against `limits.maxParameters`.
    var parameterCount = 0
    var parameterLimitReported = false
    /// What `preprocess` and `labels` declared (see ElaboratorImageItems).
    var imageItems = ImageItems()
    var steps = 0
    var stepLimitReported = false

    init(file: String, options: FrontendOptions) {
        self.file = file
        self.options = options
        self.graph = Graph(name: Self.stem(of: file))
    }

    /// `Graphs/resnet50.net` → `resnet50`.
    static func stem(of file: String) -> String {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
        return String(base[..<dot])
    }

    /// Runs a parsed program: checks `--define`s, collects blocks, then executes the top level.
    mutating func run(_ program: [Stmt]) {
        checkDefines(program)
        collectBlocks(program)
        _ = execute(program)
        if inputLocation == nil {
            sink.error("the network has no input; declare one, e.g. 'input image: 1x3x224x224'", at: nil)
        }
        if outputLocations.isEmpty {
            sink.error("the network has no output; declare one, e.g. 'output logits = x'", at: nil)
        }
        finishImageItems()
    }

    private mutating func checkDefines(_ program: [Stmt]) {
        let declared = program.compactMap { stmt -> String? in
            if case .param(let name, _) = stmt.kind { return name }
            return nil
        }
        for name in options.defines.keys.sorted() where !declared.contains(name) {
            sink.error("--define of unknown param '\(name)'" + Suggestion.hint(for: name, in: declared), at: nil)
        }
    }

    private mutating func collectBlocks(_ program: [Stmt]) {
        for stmt in program {
            guard case .block(let decl) = stmt.kind else { continue }
            if OpCatalog.ops[decl.name] != nil || OpCatalog.shapeQueries[decl.name] != nil {
                sink.error("block '\(decl.name)' has the name of a built-in op", at: decl.location)
            } else if let first = blocks[decl.name] {
                sink.error("block '\(decl.name)' is defined twice", at: decl.location,
                           notes: [.note("first defined here", at: first.location)])
            } else {
                blocks[decl.name] = decl
            }
        }
    }

    // MARK: Statements

    /// What running statements did: fell through or returned a value.
    enum Flow { case normal, returned(Value) }

    mutating func execute(_ statements: [Stmt]) -> Flow {
        for stmt in statements {
            if case .returned(let v) = execute(stmt) { return .returned(v) }
        }
        return .normal
    }

    private mutating func execute(_ stmt: Stmt) -> Flow {
        guard takeStep(at: stmt.location) else { return .normal }
        switch stmt.kind {
        case .network(let name):
            graph.name = name
        case .param(let name, let expr):
            declareParam(name, expr, at: stmt.location)
        case .input(let name, let shape):
            declareInput(name, shape, at: stmt.location)
        case .defaults(let op, let opLocation, let arguments):
            setDefaults(op, at: opLocation, arguments)
        case .block:
            break
        case .assign(let name, let expr):
            assign(name, expr, at: stmt.location)
        case .output(let name, let expr):
            declareOutput(name, expr, at: stmt.location)
        case .if(let condition, let thenBody, let elseBody):
            return executeIf(condition, thenBody, elseBody)
        case .return(let expr):
            return .returned(evaluate(expr))
        case .expression(let expr):
            _ = evaluate(expr)
        case .preprocess(let settings):
            declarePreprocess(settings, at: stmt.location)
        case .labels(let path, let pathLocation):
            declareLabels(path, at: stmt.location, pathLocation)
        }
        return .normal
    }

    private mutating func declareParam(_ name: String, _ expr: Expr, at location: SourceLocation) {
        if let first = paramLocations[name] {
            sink.error("param '\(name)' is declared twice", at: location, notes: [.note("first declared here", at: first)])
            return
        }
        paramLocations[name] = location
        let computed = evaluate(expr)
        if let defined = options.defines[name] {
            params[name] = .int(defined)
        } else if case .int = computed {
            params[name] = computed
        } else {
            if !computed.isPoison {
                sink.error("param '\(name)' must be an int, found \(computed.typeName)", at: expr.location)
            }
            params[name] = .poison
        }
    }

    private mutating func declareInput(_ name: String, _ shape: InputShape, at location: SourceLocation) {
        if let first = inputLocation {
            sink.error("a network takes exactly one input", at: location, notes: [.note("first input declared here", at: first)])
            return
        }
        inputLocation = location
        var dims: [Int] = []
        var failed = false
        switch shape {
        case .literal(let literal, _): dims = literal
        case .invalid: failed = true
        case .dims(let exprs):
            for expr in exprs {
                switch evaluate(expr) {
                case .int(let d): dims.append(d)
                case .poison: failed = true
                case let other:
                    sink.error("input dimension must be an int, found \(other.typeName)", at: expr.location)
                    failed = true
                }
            }
        }
        if let batch = options.batch, batch >= 1, !dims.isEmpty { dims[0] = batch }
        if !failed, let bad = dims.first(where: { $0 < 1 }) {
            sink.error("input dimensions must be ≥ 1, found \(bad) in \(dims.shapeDescription)", at: location)
            failed = true
        }
        if !failed && !checkElementCount(dims, at: location) { failed = true }
        guard !failed, let id = try? graph.add(.input, inputs: [], name: name, location: location, inputShape: dims) else {
            frames[0][name] = .poison
            return
        }
        frames[0][name] = .tensor(id)
    }

    /// Counts one step of work; false (after reporting once) when the budget is spent.
    mutating func takeStep(at location: SourceLocation) -> Bool {
        steps += 1
        guard steps > limits.maxSteps else { return true }
        if !stepLimitReported {
            sink.error("elaboration takes more than \(limits.maxSteps) steps (nested repeats?)", at: location)
            stepLimitReported = true
        }
        return false
    }

    /// Reports a shape with more than `limits.maxTensorElements` elements; true when it is fine.
    mutating func checkElementCount(_ shape: [Int], at location: SourceLocation, what: String = "tensor") -> Bool {
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            if overflow || product > limits.maxTensorElements {
                sink.error("\(what) of shape \(shape.shapeDescription) has more than "
                           + "\(FrontendLimits.describe(limits.maxTensorElements)) elements", at: location)
                return false
            }
            count = product
        }
        return true
    }

    private mutating func declareOutput(_ name: String, _ expr: Expr, at location: SourceLocation) {
        let value = evaluate(expr)
        if let first = outputLocations[name] {
            sink.error("output '\(name)' is declared twice", at: location, notes: [.note("first declared here", at: first)])
            return
        }
        outputLocations[name] = location
        switch value {
        case .tensor(let id): graph.outputs.append(GraphOutput(name: name, node: id))
        case .poison: break
        default: sink.error("output '\(name)' must be a tensor, found \(value.typeName)", at: expr.location)
        }
        frames[0][name] = value
    }

    private mutating func assign(_ name: String, _ expr: Expr, at location: SourceLocation) {
        if params[name] != nil || paramLocations[name] != nil {
            sink.error("'\(name)' is a param and cannot be assigned", at: location)
            return
        }
        if case .repeat(let node) = expr.kind {
            frames[frames.count - 1][name] = runRepeat(node, updating: name, at: location, expr.location)
        } else {
            frames[frames.count - 1][name] = evaluate(expr)
        }
    }

    private mutating func executeIf(_ condition: Expr, _ thenBody: [Stmt], _ elseBody: [Stmt]) -> Flow {
        switch evaluate(condition) {
        case .bool(true): return execute(thenBody)
        case .bool(false): return execute(elseBody)
        case let other:
            if !other.isPoison {
                sink.error("condition must be a bool, found \(other.typeName)", at: condition.location)
            }
            // Neither branch ran: whatever they assign is unknown, silently.
            for name in Self.assignedNames(thenBody + elseBody) { frames[frames.count - 1][name] = .poison }
            return .normal
        }
    }

    /// Names assigned anywhere in `statements` (including nested `if`s).
    static func assignedNames(_ statements: [Stmt]) -> [String] {
        statements.flatMap { stmt -> [String] in
            switch stmt.kind {
            case .assign(let name, _): return [name]
            case .if(_, let a, let b): return assignedNames(a + b)
            default: return []
            }
        }
    }

    // MARK: Variables

    /// A variable of the current frame, or a top-level param.
    func lookup(_ name: String) -> Value? { frames[frames.count - 1][name] ?? params[name] }

    /// Names visible here, for suggestions.
    var visibleNames: [String] { Array(frames[frames.count - 1].keys) + Array(params.keys) }
}
