// Max and global-average pooling over nChw16c tensors (`TensorLayout.nChw16c`): one SIMD16 of
// 16 channels per pixel, so every operation of the NCHW kernels runs on 16 channels at once.
// Results are bitwise those of `MaxPoolKernel` / `GlobalAvgPoolKernel` on the same logical data.

/// MaxPool2d over nChw16c in and out. `geometry.planes` counts channel-block planes
/// (`N·C/16`). Work unit: one output row of one block plane, `(plane, oy)`. As in
/// `MaxPoolKernel`, each row first takes the max of its window's input rows per column into a
/// row padded with −∞, then each output's max over its window's columns, in the same order, so
/// ties between ±0 and NaN payloads resolve exactly as there (`nanPropagatingMax`, 16 lanes);
/// padding acts as −∞.
struct BlockedMaxPoolKernel {
    typealias Block = SIMD16<Float>
    let geometry: PoolGeometry
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    /// Finishes output rows in blocked order: activation and identity residuals only (a
    /// residual has the output's layout, so it is read position for position).
    let epilogue: EpilogueKernel

    var unitCount: Int { geometry.planes * geometry.outHeight }

    func run(_ units: Range<Int>) {
        let g = geometry
        // Column maxima at [padding, padding + inWidth); −∞ around them, as far right as the
        // last window reaches.
        let capacity = max(g.padding + g.inWidth, max(g.outWidth - 1, 0) * g.stride + g.kernel)
        withUnsafeTemporaryAllocation(of: Block.self, capacity: capacity) { buffer in
            let padded = buffer.baseAddress!
            padded.initialize(repeating: Block(repeating: -.infinity), count: capacity)
            let columns = padded + g.padding
            for unit in units {
                let plane = unit / g.outHeight, oy = unit % g.outHeight
                let src = input + plane * g.inHeight * g.inWidth * 16
                let row = (plane * g.outHeight + oy) * g.outWidth * 16
                let y0 = max(oy * g.stride - g.padding, 0)
                let y1 = max(min(oy * g.stride - g.padding + g.kernel, g.inHeight), y0)
                maxOfRows(src, rows: y0..<y1, into: columns)
                maxOfWindows(padded, into: output + row)
                if !epilogue.isIdentity { epilogue.finish(output, elements: row..<row + g.outWidth * 16) }
            }
        }
    }

    /// `columns[x] = max over y in rows of plane[y][x]` (−∞ for no rows).
    @inline(__always)
    private func maxOfRows(_ plane: UnsafePointer<Float>, rows: Range<Int>, into columns: UnsafeMutablePointer<Block>) {
        let width = geometry.inWidth
        for x in 0..<width {
            var best = Block(repeating: -.infinity)
            for y in rows { best = nanPropagatingMax(best, load(plane + (y * width + x) * 16)) }
            columns[x] = best
        }
    }

    /// `row[ox] = max over dx < kernel of padded[ox·stride + dx]`, in window order.
    @inline(__always)
    private func maxOfWindows(_ padded: UnsafePointer<Block>, into row: UnsafeMutablePointer<Float>) {
        let g = geometry
        for ox in 0..<g.outWidth {
            var best = Block(repeating: -.infinity)
            for dx in 0..<g.kernel { best = nanPropagatingMax(best, padded[ox * g.stride + dx]) }
            UnsafeMutableRawPointer(row + ox * 16).storeBytes(of: best, as: Block.self)
        }
    }
}

/// AdaptiveAvgPool2d(1) from nChw16c to NCHW `[N, C, 1, 1]`. Work unit: one channel-block
/// plane (`N·C/16` of them). Each channel is summed in Double in pixel order and divided by the
/// pixel count, exactly as `GlobalAvgPoolKernel` does, 16 channels per vector.
struct BlockedGlobalAvgPoolKernel {
    /// Channel-block planes, `N·C/16`.
    let planes: Int
    /// Pixels per plane, `H·W`.
    let planeSize: Int
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let epilogue: EpilogueKernel

    var unitCount: Int { planes }

    func run(_ units: Range<Int>) {
        for plane in units {
            let src = input + plane * planeSize * 16
            var sum = SIMD16<Double>()
            for i in 0..<planeSize { sum += SIMD16<Double>(load(src + i * 16)) }
            let mean = SIMD16<Float>(sum / Double(planeSize))
            // Channel `16·(plane mod C/16) + lane` of batch `plane / (C/16)` is NCHW float `16·plane + lane`.
            UnsafeMutableRawPointer(output + plane * 16).storeBytes(of: mean, as: SIMD16<Float>.self)
            if !epilogue.isIdentity { epilogue.finish(output, elements: plane * 16..<plane * 16 + 16) }
        }
    }
}

/// The 16 channels of one nChw16c pixel (arena tensors need not be 64-byte aligned).
@inline(__always)
private func load(_ pixel: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(pixel).loadUnaligned(as: SIMD16<Float>.self)
}
