// Max pooling over nChw16c tensors, compiled into each instruction-set module (a pooling loop
// in the flag-less runtime module ran its 16-lane compares and blends as four SSE halves).
// Each output row first takes the max of its window's input rows per column into a row padded
// with −∞, then each output's max over its window's columns, in the same order as the NCHW
// `MaxPoolKernel`, so ties between ±0 and NaN payloads resolve exactly as there.

import ResNetKernelABI

/// Entry points the runtime calls for pooling.
public enum PoolKernels {
    /// Computes output rows `units` (`(plane, oy)`, see `BlockedMaxPoolJob.units`) of `job`.
    public static func blockedMaxPool(_ job: BlockedMaxPoolJob, units: Range<Int>) {
        let g = job.geometry
        // Column maxima at [padding, padding + inWidth); −∞ around them, as far right as the
        // last window reaches.
        let capacity = max(g.padding + g.inWidth, max(g.outWidth - 1, 0) * g.stride + g.kernel)
        withUnsafeTemporaryAllocation(of: Block.self, capacity: capacity) { buffer in
            let padded = buffer.baseAddress!
            padded.initialize(repeating: Block(repeating: -.infinity), count: capacity)
            let columns = padded + g.padding
            for unit in units {
                let plane = unit / g.outHeight, oy = unit % g.outHeight
                let source = job.input + plane * g.inHeight * g.inWidth * 16
                let y0 = max(oy * g.stride - g.padding, 0)
                let y1 = max(min(oy * g.stride - g.padding + g.kernel, g.inHeight), y0)
                maxOfRows(source, width: g.inWidth, rows: y0..<y1, into: columns)
                maxOfWindows(padded, g, into: job.output + unit * g.outWidth * 16)
            }
        }
    }

    /// `columns[x] = max over y in rows of plane[y][x]` (−∞ for no rows).
    @inline(__always)
    private static func maxOfRows(_ plane: UnsafePointer<Float>, width: Int, rows: Range<Int>,
                                  into columns: UnsafeMutablePointer<Block>) {
        for x in 0..<width {
            var best = Block(repeating: -.infinity)
            for y in rows {
                best = nanPropagatingMax(best, UnsafeRawPointer(plane + (y * width + x) * 16).loadUnaligned(as: Block.self))
            }
            columns[x] = best
        }
    }

    /// `row[ox] = max over dx < kernel of padded[ox·stride + dx]`, in window order.
    @inline(__always)
    private static func maxOfWindows(_ padded: UnsafePointer<Block>, _ g: PoolGeometry,
                                     into row: UnsafeMutablePointer<Float>) {
        for ox in 0..<g.outWidth {
            var best = Block(repeating: -.infinity)
            for dx in 0..<g.kernel { best = nanPropagatingMax(best, padded[ox * g.stride + dx]) }
            UnsafeMutableRawPointer(row + ox * 16).storeBytes(of: best, as: Block.self)
        }
    }

    /// `value` where it is larger than `best` or NaN, else `best`, lane by lane, without branches.
    @inline(__always)
    private static func nanPropagatingMax(_ best: Block, _ value: Block) -> Block {
        best.replacing(with: value, where: (value .> best) .| (value .!= value))
    }
}
