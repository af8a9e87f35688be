// The syntax tree the parser builds and the elaborator walks; every node keeps its location.

/// A dotted layer label such as `downsample.0`, with where it was written.
struct Label: Sendable {
    var path: String
    var location: SourceLocation
}

/// One argument of a call: positional (`name == nil`) or `name: value`.
struct Argument: Sendable {
    var name: String?
    var nameLocation: SourceLocation?
    var value: Expr
}

/// Unary operators.
enum UnaryOperator: String, Sendable { case negate = "-", not = "not" }

/// Binary operators, spelled as in the source.
enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case and, or
}

/// `[label:] repeat count [as index] { body… result }`.
struct RepeatExpr: Sendable {
    var label: Label?
    var count: Expr
    var indexName: String?
    var body: [Stmt]
    var result: Expr
}

/// An expression and where it starts.
indirect enum ExprKind: Sendable {
    case int(Int)
    case float(Double)
    case bool(Bool)
    case name(String)
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    case conditional(Expr, Expr, Expr)
    /// `label: callee(args)`; a pipeline `a -> f(b)` arrives here as `f(a, b)`.
    case call(callee: String, label: Label?, arguments: [Argument])
    case `repeat`(RepeatExpr)
    /// A part that failed to parse (already reported); evaluates silently to poison.
    case error
}

/// An expression node.
struct Expr: Sendable {
    var kind: ExprKind
    var location: SourceLocation
}

/// A block parameter with an optional default.
struct BlockParameter: Sendable {
    var name: String
    var location: SourceLocation
    var defaultValue: Expr?
}

/// `block name(params) { body }`.
struct BlockDecl: Sendable {
    var name: String
    var location: SourceLocation
    var parameters: [BlockParameter]
    var body: [Stmt]
    /// Where the closing brace is (for "block ends without return").
    var end: SourceLocation
}

/// How an `input` gives its shape.
enum InputShape: Sendable {
    case literal([Int], SourceLocation)
    case dims([Expr])
    /// The shape failed to parse (already reported); the input exists but is poison.
    case invalid
}

/// One line of a `preprocess { … }` item: `resize 256`, `mean [0.485, 0.456, 0.406]`.
struct PreprocessSetting: Sendable {
    var name: String
    var location: SourceLocation
    /// The value, or the elements of a `[…]` list.
    var values: [Expr]
    /// Whether the value was written as a `[…]` list.
    var isList: Bool
}

/// A statement and where it starts.
indirect enum StmtKind: Sendable {
    case network(String)
    case param(name: String, value: Expr)
    case input(name: String, shape: InputShape)
    case defaults(op: String, opLocation: SourceLocation, arguments: [Argument])
    case block(BlockDecl)
    case assign(name: String, value: Expr)
    case output(name: String, value: Expr)
    case `if`(condition: Expr, then: [Stmt], else: [Stmt])
    case `return`(Expr)
    /// `preprocess { settings }`, or `preprocess none` (nil).
    case preprocess([PreprocessSetting]?)
    /// `labels "file.txt"`: class names, relative to the `.net` file's directory.
    case labels(path: String, pathLocation: SourceLocation)
    /// A bare expression: only meaningful as the last line of a `repeat` body.
    case expression(Expr)
}

/// A statement node.
struct Stmt: Sendable {
    var kind: StmtKind
    var location: SourceLocation
}
