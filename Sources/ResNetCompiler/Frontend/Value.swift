// Values the elaborator computes: ints, floats, bools, tensors (IR node ids) and poison.

/// A DSL value. `poison` stands for the result of something that already failed; anything
/// computed from it is poison too, without further errors, so one mistake gives one error.
enum Value: Equatable, Sendable {
    case int(Int)
    case float(Double)
    case bool(Bool)
    /// The id of the IR node producing the tensor.
    case tensor(Int)
    case poison

    /// The type's name as messages spell it.
    var typeName: String {
        switch self {
        case .int: return "int"
        case .float: return "float"
        case .bool: return "bool"
        case .tensor: return "tensor"
        case .poison: return "error"
        }
    }

    var isPoison: Bool { self == .poison }
}

/// The type an op parameter requires.
enum ValueType: String, Sendable {
    case tensor, int, float, bool

    /// "an int", "a tensor", … for "must be an int".
    var withArticle: String { self == .int ? "an int" : "a \(rawValue)" }

    /// Whether `value` fits (ints are accepted where floats are expected).
    func accepts(_ value: Value) -> Bool {
        switch (self, value) {
        case (.tensor, .tensor), (.int, .int), (.float, .float), (.float, .int), (.bool, .bool): return true
        default: return false
        }
    }
}
