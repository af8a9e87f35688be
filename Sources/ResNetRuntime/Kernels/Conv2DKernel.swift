// Direct 2-D convolution (PyTorch semantics: zero padding, stride, dilation, groups), one output
// plane per work unit, accumulated in Float with the innermost loop over contiguous output columns.

/// Shapes and hyper-parameters of one convolution, all validated by `PlanValidator`.
struct ConvGeometry {
    let batch: Int, inChannels: Int, inHeight: Int, inWidth: Int
    let outChannels: Int, outHeight: Int, outWidth: Int
    let kernel: Int, stride: Int, padding: Int, dilation: Int, groups: Int
}

/// A convolution bound to its arena and weight pointers. Work unit: one `(n, o)` output plane.
struct Conv2DKernel {
    let geometry: ConvGeometry
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    /// `[O, C/groups, K, K]`.
    let weight: UnsafePointer<Float>
    let bias: UnsafePointer<Float>?
    let epilogue: EpilogueKernel

    /// Number of independent work units (`N · O` planes).
    var unitCount: Int { geometry.batch * geometry.outChannels }

    /// Computes and finishes the planes in `units`.
    func run(_ units: Range<Int>) {
        let planeSize = geometry.outHeight * geometry.outWidth
        for plane in units {
            computePlane(plane)
            if !epilogue.isIdentity {
                epilogue.finish(output, elements: plane * planeSize..<(plane + 1) * planeSize)
            }
        }
    }

    private func computePlane(_ plane: Int) {
        let g = geometry
        let n = plane / g.outChannels
        let oc = plane % g.outChannels
        let channelsPerGroup = g.inChannels / g.groups
        let firstInChannel = (oc / (g.outChannels / g.groups)) * channelsPerGroup
        let out = output + plane * g.outHeight * g.outWidth
        let initial = bias.map { $0[oc] } ?? 0
        out.update(repeating: initial, count: g.outHeight * g.outWidth)
        let taps = g.kernel * g.kernel
        for ic in 0..<channelsPerGroup {
            let inPlane = input + ((n * g.inChannels) + firstInChannel + ic) * g.inHeight * g.inWidth
            let taps0 = weight + (oc * channelsPerGroup + ic) * taps
            for kh in 0..<g.kernel {
                let offsetY = kh * g.dilation - g.padding
                let rows = validOutputs(offset: offsetY, extent: g.inHeight, count: g.outHeight)
                if rows.isEmpty { continue }
                for kw in 0..<g.kernel {
                    let offsetX = kw * g.dilation - g.padding
                    let cols = validOutputs(offset: offsetX, extent: g.inWidth, count: g.outWidth)
                    if cols.isEmpty { continue }
                    accumulateTap(taps0[kh * g.kernel + kw], inPlane: inPlane, out: out,
                                  offsetY: offsetY, offsetX: offsetX, rows: rows, cols: cols)
                }
            }
        }
    }

    /// `out[y, x] += w · in[y·s + offsetY, x·s + offsetX]` for the rows/cols inside the input.
    @inline(__always)
    private func accumulateTap(_ w: Float, inPlane: UnsafePointer<Float>,
                               out: UnsafeMutablePointer<Float>, offsetY: Int, offsetX: Int,
                               rows: Range<Int>, cols: Range<Int>) {
        let g = geometry
        for y in rows {
            let inRow = inPlane + (y * g.stride + offsetY) * g.inWidth
            let outRow = out + y * g.outWidth
            if g.stride == 1 {
                let shifted = inRow + offsetX
                for x in cols { outRow[x] += w * shifted[x] }
            } else {
                for x in cols { outRow[x] += w * inRow[x * g.stride + offsetX] }
            }
        }
    }

    /// Output positions `o` with `0 ≤ o·stride + offset < extent`, clamped to `0..<count`.
    @inline(__always)
    private func validOutputs(offset: Int, extent: Int, count: Int) -> Range<Int> {
        let stride = geometry.stride
        let low = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let last = extent - 1 - offset
        let high = last < 0 ? 0 : last / stride + 1
        let lower = min(low, count)
        return lower..<max(lower, min(high, count))
    }
}
