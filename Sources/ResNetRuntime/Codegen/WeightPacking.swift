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
        // Every float is written below (rows past a group's end as zeros), so no memset first: the
        // pages are first touched by the packing workers.
        let buffer = try AlignedBuffer(byteCount: 4 * s.groups * t.rowBlocks * k * t.rows, zeroed: false)
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

    /// `panel[i · stride + r] = rowsStart[r · reduction + i]` for `r < rows`, zero for
    /// `rows ≤ r < stride`. Written in order, one `i` at a time from `rows` sequential read
    /// streams; groups of 4 rows × 4 `i` go through registers as 4×4 transposes.
    private static func packPanel(_ rowsStart: UnsafePointer<Float>, rows: Int, reduction: Int,
                                  into panel: UnsafeMutablePointer<Float>, stride: Int) {
        let quads = rows / 4
        var i = 0
        while i + 4 <= reduction {
            let destination = panel + i * stride
            for quad in 0..<quads {
                let source = rowsStart + quad * 4 * reduction + i
                transpose4(source, reduction, into: destination + quad * 4, stride)
            }
            for j in 0..<4 {
                let column = destination + j * stride
                for r in quads * 4..<rows { column[r] = rowsStart[r * reduction + i + j] }
                for r in rows..<stride { column[r] = 0 }
            }
            i += 4
        }
        while i < reduction {
            let column = panel + i * stride
            for r in 0..<rows { column[r] = rowsStart[r * reduction + i] }
            for r in rows..<stride { column[r] = 0 }
            i += 1
        }
    }

    /// `out[j · outStride + r] = rows[r · rowStride + j]` for `r, j < 4`.
    @inline(__always)
    private static func transpose4(_ rows: UnsafePointer<Float>, _ rowStride: Int,
                                   into out: UnsafeMutablePointer<Float>, _ outStride: Int) {
        typealias Quad = SIMD4<Float>
        let a = UnsafeRawPointer(rows).loadUnaligned(as: Quad.self)
        let b = UnsafeRawPointer(rows + rowStride).loadUnaligned(as: Quad.self)
        let c = UnsafeRawPointer(rows + 2 * rowStride).loadUnaligned(as: Quad.self)
        let d = UnsafeRawPointer(rows + 3 * rowStride).loadUnaligned(as: Quad.self)
        UnsafeMutableRawPointer(out).storeBytes(of: Quad(a[0], b[0], c[0], d[0]), as: Quad.self)
        UnsafeMutableRawPointer(out + outStride).storeBytes(of: Quad(a[1], b[1], c[1], d[1]), as: Quad.self)
        UnsafeMutableRawPointer(out + 2 * outStride).storeBytes(of: Quad(a[2], b[2], c[2], d[2]), as: Quad.self)
        UnsafeMutableRawPointer(out + 3 * outStride).storeBytes(of: Quad(a[3], b[3], c[3], d[3]), as: Quad.self)
    }
}
