// Tight loops applying an activation (optionally after adding a shortcut) over contiguous floats.
// The activation is switched on once per call so each inner loop is branch-free and vectorizable.

import ResNetKernelABI

/// Contiguous-memory loops shared by every kernel's epilogue.
enum ActivationLoops {
    /// `p[i] = activation(p[i])` for `i < count`.
    @inline(__always)
    static func apply(_ activation: Activation, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
        switch activation {
        case .identity:
            return
        case .relu:
            for i in 0..<count { p[i] = max(p[i], 0) }
        case .leakyRelu(let slope):
            for i in 0..<count { let x = p[i]; p[i] = x > 0 ? x : x * slope }
        case .relu6:
            for i in 0..<count { p[i] = min(max(p[i], 0), 6) }
        case .sigmoid, .silu:
            // Sixteen lanes at a time through the same exp as `Activation.apply` (the same bits).
            let silu = activation == .silu
            var i = 0
            while i + 16 <= count {
                let raw = UnsafeMutableRawPointer(p + i)
                let x = raw.loadUnaligned(as: SIMD16<Float>.self)
                let e = 1 + VectorMath.exp(-x)
                raw.storeBytes(of: silu ? x / e : 1 / e, as: SIMD16<Float>.self)
                i += 16
            }
            while i < count { p[i] = activation.apply(p[i]); i += 1 }
        }
    }

    /// `p[i] = activation(p[i] + shortcut[i])` for `i < count`.
    @inline(__always)
    static func addAndApply(_ activation: Activation, _ p: UnsafeMutablePointer<Float>,
                            _ shortcut: UnsafePointer<Float>, _ count: Int) {
        for i in 0..<count { p[i] += shortcut[i] }
        apply(activation, p, count)
    }
}
