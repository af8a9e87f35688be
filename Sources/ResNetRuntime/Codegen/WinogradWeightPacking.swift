// Transforms 3×3 conv weights for Winograd F(2×2, 3×3) once per model: U = G g Gᵀ per (output,
// input) channel pair, computed in Double and rounded once, then each of the 16 matrices U[ξ]
// packed like a 1×1 blocked conv's weights.
//
//   G = |  1    0    0  |
//       | 1/2  1/2  1/2 |
//       | 1/2 -1/2  1/2 |
//       |  0    0    1  |

import ResNetKernelABI

enum WinogradWeightPacking {
    /// `[16][packed IC→OC 1×1 weights]` for `tiling`, from `[O, I, 3, 3]` weights; the
    /// transform and the packing are spread over `threads` workers.
    static func pack(_ weights: UnsafePointer<Float>, shape s: ConvShape, tiling t: WinogradTiling,
                     threads: Int) throws(RuntimeError) -> AlignedBuffer {
        let pairs = s.outChannels * s.inChannels
        let transformed = try AlignedBuffer(byteCount: 4 * 16 * pairs, zeroed: false)
        let u = UnsafeSendable(transformed.floats), source = UnsafeSendable(weights)
        Parallel.forEach(count: s.outChannels, threads: threads) { outputs in
            for pair in outputs.lowerBound * s.inChannels..<outputs.upperBound * s.inChannels {
                transform(source.value + pair * 9, into: u.value + pair, stride: pairs)
            }
        }
        // Each U[ξ] is an [O, I] matrix: pack it as a 1×1 conv's weights.
        let pointwise = WinogradTiling.productShape(s, tiles: t.width), blocked = t.productTiling(s)
        let packed = try AlignedBuffer(byteCount: 4 * t.packedWeightFloats(s), zeroed: false)
        for xi in 0..<16 {
            BlockedWeightPacking.pack(UnsafePointer(u.value + xi * pairs), shape: pointwise, tiling: blocked,
                                      threads: threads, into: packed.floats + xi * pairs)
        }
        return packed
    }

    /// `U = G g Gᵀ` of one 3×3 kernel `g`, in Double, rounded once: `U[ξ]` to `out + ξ·stride`.
    @inline(__always)
    private static func transform(_ g: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, stride: Int) {
        // Rows of G g (4 × 3), column by column.
        var gg = (SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>())
        for c in 0..<3 {
            let g0 = Double(g[c]), g1 = Double(g[3 + c]), g2 = Double(g[6 + c])
            let column = SIMD4<Double>(g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2)
            switch c {
            case 0: gg.0 = column
            case 1: gg.1 = column
            default: gg.2 = column
            }
        }
        for i in 0..<4 {   // row i of (G g) Gᵀ
            let r0 = gg.0[i], r1 = gg.1[i], r2 = gg.2[i]
            out[(i * 4 + 0) * stride] = Float(r0)
            out[(i * 4 + 1) * stride] = Float((r0 + r1 + r2) / 2)
            out[(i * 4 + 2) * stride] = Float((r0 - r1 + r2) / 2)
            out[(i * 4 + 3) * stride] = Float(r2)
        }
    }
}
