// Max, average and global-average pooling over NCHW planes (PyTorch MaxPool2d / AvgPool2d /
// AdaptiveAvgPool2d(1) semantics). One `(n, c)` plane per work unit.

/// Plane shapes shared by the windowed pools.
struct PoolGeometry {
    let planes: Int, inHeight: Int, inWidth: Int, outHeight: Int, outWidth: Int
    let kernel: Int, stride: Int, padding: Int
}

/// MaxPool2d: padding acts as −∞; ceil-mode windows are clipped to the input.
struct MaxPoolKernel {
    let geometry: PoolGeometry
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
                let y0 = max(oy * g.stride - g.padding, 0)
                let y1 = min(oy * g.stride - g.padding + g.kernel, g.inHeight)
                for ox in 0..<g.outWidth {
                    let x0 = max(ox * g.stride - g.padding, 0)
                    let x1 = min(ox * g.stride - g.padding + g.kernel, g.inWidth)
                    var best = -Float.infinity
                    for y in y0..<max(y0, y1) {
                        let row = src + y * g.inWidth
                        for x in x0..<max(x0, x1) where row[x] > best || row[x].isNaN { best = row[x] }
                    }
                    dst[oy * g.outWidth + ox] = best
                }
            }
            finishPlane(plane)
        }
    }

    private func finishPlane(_ plane: Int) {
        guard !epilogue.isIdentity else { return }
        let size = geometry.outHeight * geometry.outWidth
        epilogue.finish(output, elements: plane * size..<(plane + 1) * size)
    }
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
