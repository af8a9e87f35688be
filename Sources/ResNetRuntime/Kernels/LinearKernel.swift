// Fully connected layer `y = x · Wᵀ + b` over `[N, I]` rows; one output element per work unit so
// batch-1 inference still splits across threads. Dot products use eight fixed Float lanes.

/// A linear layer bound to its pointers. Work unit: one `(n, o)` output element.
struct LinearKernel {
    let batch: Int
    let inFeatures: Int
    let outFeatures: Int
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    /// `[O, I]`.
    let weight: UnsafePointer<Float>
    let bias: UnsafePointer<Float>?
    let epilogue: EpilogueKernel

    var unitCount: Int { batch * outFeatures }

    func run(_ units: Range<Int>) {
        for unit in units {
            let n = unit / outFeatures
            let o = unit % outFeatures
            let value = Self.dot(input + n * inFeatures, weight + o * inFeatures, inFeatures)
            output[unit] = value + (bias?[o] ?? 0)
            if !epilogue.isIdentity { epilogue.finish(output, elements: unit..<unit + 1) }
        }
    }

    /// A dot product with a fixed summation order (eight lanes, then the tail), so results
    /// are identical however the units are split across threads.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var lanes = SIMD8<Float>(repeating: 0)
        let rawA = UnsafeRawPointer(a), rawB = UnsafeRawPointer(b)
        var i = 0
        while i + 8 <= count {
            let x = rawA.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let y = rawB.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            lanes.addProduct(x, y)
            i += 8
        }
        var sum = lanes.sum()
        while i < count {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }
}
