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
    /// `[16][packed IC→OC 1×1 weights]` for `tiling`, from `[O, I, 3, 3]` weights.
    static func pack(_ weights: UnsafePointer<Float>, shape s: ConvShape, tiling t: WinogradTiling,
                     threads: Int) throws(RuntimeError) -> AlignedBuffer {
        let pairs = s.outChannels * s.inChannels
        let transformed = try AlignedBuffer(byteCount: 4 * 16 * pairs, zeroed: false)
        let u = transformed.floats
        var scratch = [Double](repeating: 0, count: 12)   // G g, row-major 4 × 3
        for pair in 0..<pairs {
            let g = weights + pair * 9
            for c in 0..<3 {   // column c of G g, in place of rows 0…3
                let g0 = Double(g[c]), g1 = Double(g[3 + c]), g2 = Double(g[6 + c])
                scratch[c] = g0
                scratch[3 + c] = (g0 + g1 + g2) / 2
                scratch[6 + c] = (g0 - g1 + g2) / 2
                scratch[9 + c] = g2
            }
            for i in 0..<4 {   // row i of (G g) Gᵀ
                let r0 = scratch[i * 3], r1 = scratch[i * 3 + 1], r2 = scratch[i * 3 + 2]
                u[(i * 4 + 0) * pairs + pair] = Float(r0)
                u[(i * 4 + 1) * pairs + pair] = Float((r0 + r1 + r2) / 2)
                u[(i * 4 + 2) * pairs + pair] = Float((r0 - r1 + r2) / 2)
                u[(i * 4 + 3) * pairs + pair] = Float(r2)
            }
        }
        // Each U[ξ] is an [O, I] matrix: pack it as a 1×1 conv's weights.
        let pointwise = ConvShape(batch: 1, inChannels: s.inChannels, inHeight: 1, inWidth: t.width,
                                  outChannels: s.outChannels, outHeight: 1, outWidth: t.width, kernel: 1, stride: 1,
                                  padding: 0, dilation: 1, groups: 1)
        let blocked = BlockedTiling(shape: pointwise, inputBlocked: true, groupBlocks: t.groupBlocks, width: t.width)
        let packed = try AlignedBuffer(byteCount: 4 * t.packedWeightFloats(s), zeroed: false)
        for xi in 0..<16 {
            let one = try BlockedWeightPacking.pack(UnsafePointer(u + xi * pairs), shape: pointwise, tiling: blocked,
                                                    threads: threads)
            (packed.floats + xi * pairs).update(from: one.floats, count: pairs)
        }
        return packed
    }
}
