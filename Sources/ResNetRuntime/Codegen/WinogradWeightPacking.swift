// Transforms 3×3 conv weights for Winograd F(m×m, 3×3) once per model: U = G g Gᵀ per (output,
// input) channel pair, computed in Double and rounded once, then each distinct matrix U[ξ]
// (α² of them; 16 at stride 2) packed like a 1×1 blocked conv's weights.
//
// F(2,3):  G = |  1    0    0  |     F(4,3):  G = |  1/4     0     0  |
//              | 1/2  1/2  1/2 |                  | -1/6  -1/6  -1/6  |
//              | 1/2 -1/2  1/2 |                  | -1/6   1/6  -1/6  |
//              |  0    0    1  |                  | 1/24  1/12   1/6  |
//                                                 | 1/24 -1/12   1/6  |
//                                                 |   0     0     1   |
//
// At stride 2 each axis takes the kernel's taps (a, b, c) as a, a + c, c (meeting the window's
// even samples) and b (meeting both odd ones): 4 × 4 matrices, `WinogradTiling.weightMatrix`.

import ResNetKernelABI

enum WinogradWeightPacking {
    /// `[α²][packed IC→OC 1×1 weights]` for `tiling`, from `[O, I, 3, 3]` weights; the
    /// transform and the packing are spread over `threads` workers.
    static func pack(_ weights: UnsafePointer<Float>, shape s: ConvShape, tiling t: WinogradTiling,
                     threads: Int) throws(RuntimeError) -> AlignedBuffer {
        let pairs = s.outChannels * s.inChannels
        let matrices = t.weightMatrices, m = t.outputTile, strided = t.stride == 2
        let transformed = try AlignedBuffer(byteCount: 4 * matrices * pairs, zeroed: false)
        let u = UnsafeSendable(transformed.floats), source = UnsafeSendable(weights)
        Parallel.forEach(count: s.outChannels, threads: threads) { outputs in
            for pair in outputs.lowerBound * s.inChannels..<outputs.upperBound * s.inChannels {
                if strided {
                    transformStrided(source.value + pair * 9, into: u.value + pair, stride: pairs)
                } else {
                    transform(source.value + pair * 9, outputTile: m, into: u.value + pair, stride: pairs)
                }
            }
        }
        // Each U[ξ] is an [O, I] matrix: pack it as a 1×1 conv's weights.
        let pointwise = WinogradTiling.productShape(s, tiles: t.width), blocked = t.productTiling(s)
        let packed = try AlignedBuffer(byteCount: 4 * t.packedWeightFloats(s), zeroed: false)
        for xi in 0..<matrices {
            BlockedWeightPacking.pack(UnsafePointer(u.value + xi * pairs), shape: pointwise, tiling: blocked,
                                      threads: threads, into: packed.floats + xi * pairs)
        }
        return packed
    }

    /// `U = G g Gᵀ` of one 3×3 kernel `g` for output tiles of `m`, in Double, rounded once:
    /// `U[ξ]` to `out + ξ·stride`.
    @inline(__always)
    private static func transform(_ g: UnsafePointer<Float>, outputTile m: Int, into out: UnsafeMutablePointer<Float>,
                                  stride: Int) {
        let alpha = m + 2
        // G g (α × 3), column by column, then (G g) Gᵀ row by row.
        let g0 = applyG(Double(g[0]), Double(g[3]), Double(g[6]), outputTile: m)
        let g1 = applyG(Double(g[1]), Double(g[4]), Double(g[7]), outputTile: m)
        let g2 = applyG(Double(g[2]), Double(g[5]), Double(g[8]), outputTile: m)
        for i in 0..<alpha {
            let row = applyG(g0[i], g1[i], g2[i], outputTile: m)
            for j in 0..<alpha { out[(i * alpha + j) * stride] = Float(row[j]) }
        }
    }

    /// The 16 stride-2 matrices of one 3×3 kernel `g`, in Double, rounded once: matrix 4p + q
    /// (row combination p, column combination q, each of a, a + c, c, b) to `out + (4p + q)·stride`.
    @inline(__always)
    private static func transformStrided(_ g: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, stride: Int) {
        @inline(__always) func combine(_ a: Double, _ b: Double, _ c: Double) -> SIMD4<Double> { SIMD4(a, a + c, c, b) }
        // Each kernel row's four column combinations, then the row combinations of those.
        let r0 = combine(Double(g[0]), Double(g[1]), Double(g[2]))
        let r1 = combine(Double(g[3]), Double(g[4]), Double(g[5]))
        let r2 = combine(Double(g[6]), Double(g[7]), Double(g[8]))
        for q in 0..<4 {
            let column = combine(r0[q], r1[q], r2[q])
            for p in 0..<4 { out[(4 * p + q) * stride] = Float(column[p]) }
        }
    }

    /// G (α × 3) times the column (a, b, c).
    @inline(__always)
    private static func applyG(_ a: Double, _ b: Double, _ c: Double, outputTile m: Int) -> SIMD8<Double> {
        if m == 2 { return SIMD8(a, (a + b + c) / 2, (a - b + c) / 2, c, 0, 0, 0, 0) }
        return SIMD8(a / 4, -(a + b + c) / 6, -(a - b + c) / 6, a / 24 + b / 12 + c / 6, a / 24 - b / 12 + c / 6, c, 0, 0)
    }
}
