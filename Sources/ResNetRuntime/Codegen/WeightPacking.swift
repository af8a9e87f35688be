// Repacks conv weights once, when a Session binds its steps, into the panels the GEMM
// micro-kernel streams: `[group][rowBlock][reduction][rows]`, zero rows past each group's end.

import ResNetKernelABI

/// Weight repacking for the GEMM conv methods.
enum WeightPacking {
    /// The packed panels of `weights` (`[O, I/groups, K, K]`) for `rows`-row register tiles.
    static func panels(_ weights: UnsafePointer<Float>, shape s: ConvShape,
                       tiling t: ConvTiling) throws(RuntimeError) -> AlignedBuffer {
        let k = s.reduction
        let floats = s.groups * t.rowBlocks * k * t.rows
        let buffer = try AlignedBuffer(byteCount: 4 * floats)
        let packed = buffer.floats
        for group in 0..<s.groups {
            for block in 0..<t.rowBlocks {
                let panel = packed + (group * t.rowBlocks + block) * k * t.rows
                for r in 0..<t.rows {
                    let channel = block * t.rows + r
                    guard channel < s.outPerGroup else { break }
                    let source = weights + (group * s.outPerGroup + channel) * k
                    for i in 0..<k { panel[i * t.rows + r] = source[i] }
                }
            }
        }
        return buffer
    }
}
