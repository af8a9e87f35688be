// Max, average and global-average pooling over NCHW planes (PyTorch MaxPool2d / AvgPool2d /
// AdaptiveAvgPool2d(1) semantics). One `(n, c)` plane per work unit. Plane shapes are
// `PoolGeometry` (ResNetKernelABI), shared with the kernel modules' nChw16c max pool.

import ResNetKernelABI

/// MaxPool2d: padding acts as −∞; ceil-mode windows are clipped to the input; a NaN anywhere in
/// a window wins, as in PyTorch. Each output row first takes the column-wise max of its window's
/// input rows (contiguous, 8 lanes at a time) into a row padded with −∞ on both sides, then the
/// max over each window's columns, 8 outputs at a time, so nothing branches on data.
struct MaxPoolKernel {
    typealias Lanes = SIMD8<Float>
    let geometry: PoolGeometry
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let epilogue: EpilogueKernel

    var unitCount: Int { geometry.planes }

    func run(_ units: Range<Int>) {
        let g = geometry
        let lanes = Lanes.scalarCount
        let paddedOutputs = (g.outWidth + lanes - 1) / lanes * lanes
        // Column maxima at [padding, padding + inWidth); −∞ around them, far enough right for
        // the last 8-output chunk's windows.
        let capacity = max(g.padding + g.inWidth, max(paddedOutputs - 1, 0) * g.stride + g.kernel) + 1
        withUnsafeTemporaryAllocation(of: Float.self, capacity: capacity) { buffer in
            let padded = buffer.baseAddress!
            padded.initialize(repeating: -.infinity, count: capacity)
            let columns = padded + g.padding
            for plane in units {
                let src = input + plane * g.inHeight * g.inWidth
                let dst = output + plane * g.outHeight * g.outWidth
                for oy in 0..<g.outHeight {
                    let y0 = max(oy * g.stride - g.padding, 0)
                    let y1 = max(min(oy * g.stride - g.padding + g.kernel, g.inHeight), y0)
                    maxOfRows(src, rows: y0..<y1, width: g.inWidth, into: columns)
                    maxOfWindows(padded, into: dst + oy * g.outWidth)
                }
                finishPlane(plane)
            }
        }
    }

    /// `row[ox] = max over dx < kernel of padded[ox·stride + dx]`, in window order.
    @inline(__always)
    private func maxOfWindows(_ padded: UnsafePointer<Float>, into row: UnsafeMutablePointer<Float>) {
        let g = geometry
        var ox = 0
        while ox < g.outWidth {
            var best = Lanes(repeating: -.infinity)
            for dx in 0..<g.kernel {
                let first = padded + ox * g.stride + dx
                var value = Lanes()
                for lane in 0..<Lanes.scalarCount { value[lane] = first[lane * g.stride] }
                best = nanPropagatingMax(best, value)
            }
            for lane in 0..<min(Lanes.scalarCount, g.outWidth - ox) { row[ox + lane] = best[lane] }
            ox += Lanes.scalarCount
        }
    }

    /// `columns[x] = max over y in rows of plane[y][x]` (−∞ for no rows).
    @inline(__always)
    private func maxOfRows(_ plane: UnsafePointer<Float>, rows: Range<Int>, width: Int,
                           into columns: UnsafeMutablePointer<Float>) {
        var x = 0
        while x + Lanes.scalarCount <= width {
            var best = Lanes(repeating: -.infinity)
            for y in rows {
                let value = UnsafeRawPointer(plane + y * width + x).loadUnaligned(as: Lanes.self)
                best = nanPropagatingMax(best, value)
            }
            UnsafeMutableRawPointer(columns + x).storeBytes(of: best, as: Lanes.self)
            x += Lanes.scalarCount
        }
        while x < width {
            var best = -Float.infinity
            for y in rows { best = nanPropagatingMax(best, plane[y * width + x]) }
            columns[x] = best
            x += 1
        }
    }

    private func finishPlane(_ plane: Int) {
        guard !epilogue.isIdentity else { return }
        let size = geometry.outHeight * geometry.outWidth
        epilogue.finish(output, elements: plane * size..<(plane + 1) * size)
    }
}

/// `value` if it is greater than `best` or NaN, else `best`: PyTorch's max-pool update (a NaN
/// always replaces the running maximum).
@inline(__always)
private func nanPropagatingMax(_ best: Float, _ value: Float) -> Float {
    value > best || value.isNaN ? value : best
}

/// `nanPropagatingMax` lane by lane, without branches.
@inline(__always)
private func nanPropagatingMax(_ best: SIMD8<Float>, _ value: SIMD8<Float>) -> SIMD8<Float> {
    best.replacing(with: value, where: (value .> best) .| (value .!= value))
}

/// AvgPool2d: with `countIncludePad` the divisor counts window positions inside input+padding,
/// otherwise only those inside the input.
struct AvgPoolKernel {
    let geometry: PoolGeometry
    let countIncludePad: Bool
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let epilogue: EpilogueKernel

    var unitCount: Int { geometry.planes }

    func run(_ units: Range<Int>) {
        let g = geometry
        for plane in units {
            let src = input + plane * g.inHeight * g.inWidth
            let dst = output + plane * g.outHeight * g.outWidth
            for oy in 0..<g.outHeight {
                let start = oy * g.stride - g.padding
                let paddedEndY = min(start + g.kernel, g.inHeight + g.padding)
                let y0 = max(start, 0), y1 = min(paddedEndY, g.inHeight)
                for ox in 0..<g.outWidth {
                    let startX = ox * g.stride - g.padding
                    let paddedEndX = min(startX + g.kernel, g.inWidth + g.padding)
                    let x0 = max(startX, 0), x1 = min(paddedEndX, g.inWidth)
                    var sum: Float = 0
                    for y in y0..<max(y0, y1) {
                        let row = src + y * g.inWidth
                        for x in x0..<max(x0, x1) { sum += row[x] }
                    }
                    let divisor = countIncludePad
                        ? (paddedEndY - start) * (paddedEndX - startX)
                        : max(y1 - y0, 0) * max(x1 - x0, 0)
                    dst[oy * g.outWidth + ox] = divisor > 0 ? sum / Float(divisor) : 0
                }
            }
            if !epilogue.isIdentity {
                let size = g.outHeight * g.outWidth
                epilogue.finish(output, elements: plane * size..<(plane + 1) * size)
            }
        }
    }
}

/// AdaptiveAvgPool2d(1): each `H × W` plane becomes its mean, summed in Double for accuracy.
struct GlobalAvgPoolKernel {
    let planes: Int
    let planeSize: Int
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let epilogue: EpilogueKernel

    var unitCount: Int { planes }

    func run(_ units: Range<Int>) {
        for plane in units {
            let src = input + plane * planeSize
            var sum: Double = 0
            for i in 0..<planeSize { sum += Double(src[i]) }
            output[plane] = Float(sum / Double(planeSize))
            if !epilogue.isIdentity { epilogue.finish(output, elements: plane..<plane + 1) }
        }
    }
}
