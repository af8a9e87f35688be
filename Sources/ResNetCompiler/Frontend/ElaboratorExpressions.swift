// Expression evaluation: literals, variables, arithmetic with overflow checks, comparisons,
// logic and `?:`; `+` on two tensors adds an add layer.

extension Elaborator {
    /// Evaluates an expression; errors are reported and give `.poison`.
    mutating func evaluate(_ expr: Expr) -> Value {
        switch expr.kind {
        case .int(let v): return .int(v)
        case .float(let v): return .float(v)
        case .bool(let v): return .bool(v)
        case .error: return .poison
        case .name(let name):
            if let value = lookup(name) { return value }
            var message = "unknown variable '\(name)'" + Suggestion.hint(for: name, in: visibleNames)
            if callStack.last != nil, frames[0][name] != nil {
                message = "unknown variable '\(name)' (blocks see only their parameters, their own variables and params)"
            }
            sink.error(message, at: expr.location)
            return .poison
        case .unary(let op, let operand):
            return unary(op, evaluate(operand), at: expr.location)
        case .binary(let op, let left, let right):
            return binary(op, evaluate(left), evaluate(right), at: expr.location)
        case .conditional(let condition, let then, let otherwise):
            switch evaluate(condition) {
            case .bool(let b): return evaluate(b ? then : otherwise)
            case .poison: return .poison
            case let other:
                sink.error("condition of '?:' must be a bool, found \(other.typeName)", at: condition.location)
                return .poison
            }
        case .call(let callee, let label, let arguments):
            return call(callee, label: label, arguments, at: expr.location)
        case .repeat:
            sink.error("'repeat' is only allowed as 'name = repeat N { … }'", at: expr.location)
            return .poison
        }
    }

    private mutating func unary(_ op: UnaryOperator, _ value: Value, at location: SourceLocation) -> Value {
        switch (op, value) {
        case (_, .poison): return .poison
        case (.negate, .int(let v)):
            guard v != Int.min else { return overflow("-", at: location) }
            return .int(-v)
        case (.negate, .float(let v)): return .float(-v)
        case (.not, .bool(let v)): return .bool(!v)
        default:
            sink.error("operator '\(op.rawValue)' cannot be applied to \(value.typeName)", at: location)
            return .poison
        }
    }

    private mutating func overflow(_ op: String, at location: SourceLocation) -> Value {
        sink.error("integer overflow in '\(op)'", at: location)
        return .poison
    }

    private mutating func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, at location: SourceLocation) -> Value {
        if a.isPoison || b.isPoison { return .poison }
        switch (op, a, b) {
        case (.add, .tensor(let x), .tensor(let y)):
            return addNode(.add, inputs: [x, y], name: "", description: "add", at: location)
        case (.and, .bool(let x), .bool(let y)): return .bool(x && y)
        case (.or, .bool(let x), .bool(let y)): return .bool(x || y)
        case (.equal, .bool(let x), .bool(let y)): return .bool(x == y)
        case (.notEqual, .bool(let x), .bool(let y)): return .bool(x != y)
        case (_, .int(let x), .int(let y)): return intOperation(op, x, y, at: location)
        case (_, .int, .float), (_, .float, .int), (_, .float, .float):
            return floatOperation(op, Self.double(a), Self.double(b), at: location)
        default:
            sink.error("operator '\(op.rawValue)' cannot be applied to \(a.typeName) and \(b.typeName)", at: location)
            return .poison
        }
    }

    private static func double(_ v: Value) -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .float(let f): return f
        default: return 0
        }
    }

    private mutating func intOperation(_ op: BinaryOperator, _ x: Int, _ y: Int, at location: SourceLocation) -> Value {
        let result: (partialValue: Int, overflow: Bool)
        switch op {
        case .add: result = x.addingReportingOverflow(y)
        case .subtract: result = x.subtractingReportingOverflow(y)
        case .multiply: result = x.multipliedReportingOverflow(by: y)
        case .divide, .remainder:
            guard y != 0 else {
                sink.error("division by zero", at: location)
                return .poison
            }
            guard !(x == Int.min && y == -1) else { return overflow(op.rawValue, at: location) }
            // Floor division and a remainder with the divisor's sign, as in Python.
            var q = x / y, r = x % y
            if r != 0 && ((r < 0) != (y < 0)) {
                q -= 1
                r += y
            }
            return .int(op == .divide ? q : r)
        case .equal: return .bool(x == y)
        case .notEqual: return .bool(x != y)
        case .less: return .bool(x < y)
        case .lessEqual: return .bool(x <= y)
        case .greater: return .bool(x > y)
        case .greaterEqual: return .bool(x >= y)
        case .and, .or:
            sink.error("operator '\(op.rawValue)' cannot be applied to int and int", at: location)
            return .poison
        }
        return result.overflow ? overflow(op.rawValue, at: location) : .int(result.partialValue)
    }

    private mutating func floatOperation(_ op: BinaryOperator, _ x: Double, _ y: Double,
                                         at location: SourceLocation) -> Value {
        switch op {
        case .add: return .float(x + y)
        case .subtract: return .float(x - y)
        case .multiply: return .float(x * y)
        case .divide:
            guard y != 0 else {
                sink.error("division by zero", at: location)
                return .poison
            }
            return .float(x / y)
        case .equal: return .bool(x == y)
        case .notEqual: return .bool(x != y)
        case .less: return .bool(x < y)
        case .lessEqual: return .bool(x <= y)
        case .greater: return .bool(x > y)
        case .greaterEqual: return .bool(x >= y)
        case .remainder, .and, .or:
            sink.error("operator '\(op.rawValue)' cannot be applied to float", at: location)
            return .poison
        }
    }
}
