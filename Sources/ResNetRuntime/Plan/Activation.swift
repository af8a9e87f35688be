// Activation functions shared by the IR, the plan and the kernels' epilogues.

import ResNetKernelABI

/// An elementwise activation, applied standalone or fused as a kernel epilogue.
public enum Activation: Codable, Hashable, Sendable {
    case identity
    case relu
    case leakyRelu(slope: Float)
    case relu6
    case sigmoid
    case silu

    /// The DSL / IR spelling (`relu`, `leaky_relu(0.01)`, ...).
    public var description: String {
        switch self {
        case .identity: return "identity"
        case .relu: return "relu"
        case .leakyRelu(let s): return "leaky_relu(\(s))"
        case .relu6: return "relu6"
        case .sigmoid: return "sigmoid"
        case .silu: return "silu"
        }
    }

    /// Applies the activation to one value (the kernels' vector forms give the same bits: their
    /// exp is `VectorMath.exp`).
    @inlinable
    public func apply(_ x: Float) -> Float {
        switch self {
        case .identity: return x
        case .relu: return x > 0 ? x : 0
        case .leakyRelu(let s): return x > 0 ? x : x * s
        case .relu6: return min(max(x, 0), 6)
        case .sigmoid: return 1 / (1 + VectorMath.exp(-x))
        case .silu: return x / (1 + VectorMath.exp(-x))
        }
    }

    /// Double-precision version, used by the reference interpreter.
    @inlinable
    public func apply(_ x: Double) -> Double {
        switch self {
        case .identity: return x
        case .relu: return x > 0 ? x : 0
        case .leakyRelu(let s): return x > 0 ? x : x * Double(s)
        case .relu6: return min(max(x, 0), 6)
        case .sigmoid: return 1 / (1 + _exp(-x))
        case .silu: return x / (1 + _exp(-x))
        }
    }
}
