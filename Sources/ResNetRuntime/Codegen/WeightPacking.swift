// Repacks conv weights once per model into the panels the GEMM micro-kernel streams:
// `[group][rowBlock][reduction][rows]`, zero rows past each group's end.

import ResNetKernelABI

/// Weight repacking for the GEMM conv methods.
enum WeightPacking {
    /// The packed panels of `weights` (`[O, I/groups, K, K]`) for `rows`-row register tiles,
    /// one panel per (group, row block), the panels spread over `threads` workers.
    static func panels(_ weights: UnsafePointer<Float>, shape s: ConvShape, tiling t: ConvTiling,
                       threads: Int) throws(RuntimeError) -> AlignedBuffer {
        let k = s.reduction
        let buffer = try AlignedBuffer(byteCount: 4 * s.groups * t.rowBlocks * k * t.rows)
        let packed = UnsafeSendable(buffer.floats), source = UnsafeSendable(weights)
        Parallel.forEach(count: s.groups * t.rowBlocks, threads: threads) { panels in
            for index in panels {
                let group = index / t.rowBlocks, block = index % t.rowBlocks
                let rows = min(t.rows, s.outPerGroup - block * t.rows)
                packPanel(source.value + (group * s.outPerGroup + block * t.rows) * k, rows: rows, reduction: k,
                          into: packed.value + index * k * t.rows, stride: t.rows)
            }
        }
        return buffer
    }

    /// `panel[i · stride + r] = rowsStart[r · reduction + i]` for `r < rows`; the buffer is
    /// zeroed, so rows past `rows` stay zero. Reads are sequential per row, the writes of one
    /// `i` share a cache line.
    private static func packPanel(_ rowsStart: UnsafePointer<Float>, rows: Int, reduction: Int,
                                  into panel: UnsafeMutablePointer<Float>, stride: Int) {
        for r in 0..<rows {
            let row = rowsStart + r * reduction
            var destination = panel + r
            for i in 0..<reduction {
                destination.pointee = row[i]
                destination += stride
            }
        }
    }
}
