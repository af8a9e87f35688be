// Softmax over the last axis (max subtracted first for stability); one row per work unit.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Softmax bound to its pointers. Input and output may be the same memory.
struct SoftmaxKernel {
    let rows: Int
    let rowLength: Int
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    /// Only an activation: the validator rejects residuals on softmax.
    let activation: Activation

    var unitCount: Int { rows }

    func run(_ units: Range<Int>) {
        for row in units {
            let src = input + row * rowLength
            let dst = output + row * rowLength
            var maximum = -Float.infinity
            for i in 0..<rowLength { maximum = max(maximum, src[i]) }
            var sum: Double = 0
            for i in 0..<rowLength {
                let e = expf(src[i] - maximum)
                dst[i] = e
                sum += Double(e)
            }
            let scale = Float(1 / sum)
            for i in 0..<rowLength { dst[i] *= scale }
            ActivationLoops.apply(activation, dst, rowLength)
        }
    }
}
