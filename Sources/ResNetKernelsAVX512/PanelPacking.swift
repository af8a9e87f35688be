// Builds the B operand of a GEMM-shaped conv for one pixel tile in per-thread scratch:
// `panel[k][j]`, k = (input channel, kh, kw) as in the weights, j = tile pixel; taps that fall in
// the zero padding and pixels past the plane are zero, so the micro-kernel never branches.
// im2col panels from the raw input; pointwise panels from strided NCHW rows; implicit panels
// gathered from the stride phases (one depth chunk at a time, so the panel stays in L1).

import ResNetKernelABI

/// Packs the im2col panel of the tile starting at output pixel `p0`. `group` points at the
/// group's first input channel of the image.
func packIm2colPanel(_ s: ConvShape, group: UnsafePointer<Float>, firstPixel p0: Int, tilePixels: Int,
                     into panel: UnsafeMutablePointer<Float>) {
    let valid = min(tilePixels, s.pixels - p0)
    let planeSize = s.inHeight * s.inWidth
    var row = panel
    for ic in 0..<s.inPerGroup {
        let channel = group + ic * planeSize
        for kh in 0..<s.kernel {
            let offsetY = kh * s.dilation - s.padding
            for kw in 0..<s.kernel {
                packTapRow(s, channel, offsetY: offsetY, offsetX: kw * s.dilation - s.padding,
                           firstPixel: p0, count: valid, into: row)
                if valid < tilePixels { zeroRow(row + valid, tilePixels - valid) }
                row += tilePixels
            }
        }
    }
}

/// One tap's row: `row[j] = channel[y·s + offsetY, x·s + offsetX]` for output pixel `p0 + j`,
/// zero where that lies in the padding. Walks the tile one output-row segment at a time.
@inline(__always)
private func packTapRow(_ s: ConvShape, _ channel: UnsafePointer<Float>, offsetY: Int, offsetX: Int,
                        firstPixel p0: Int, count: Int, into row: UnsafeMutablePointer<Float>) {
    // Output columns whose input column lies inside the image: [firstX, endX).
    let firstX = offsetX >= 0 ? 0 : (-offsetX + s.stride - 1) / s.stride
    let lastInside = s.inWidth - 1 - offsetX
    let endX = lastInside < 0 ? 0 : lastInside / s.stride + 1
    var y = p0 / s.outWidth, x = p0 % s.outWidth
    var j = 0
    while j < count {
        let run = min(s.outWidth - x, count - j)
        let destination = row + j
        let inputY = y * s.stride + offsetY
        if inputY < 0 || inputY >= s.inHeight {
            zeroRow(destination, run)
        } else {
            let low = min(max(firstX - x, 0), run)
            let high = max(min(endX - x, run), low)
            zeroRow(destination, low)
            let source = channel + inputY * s.inWidth + x * s.stride + offsetX
            if s.stride == 1 {
                storeRow(source + low, destination + low, high - low)
            } else {
                for t in low..<high { destination[t] = source[t * s.stride] }
            }
            zeroRow(destination + high, run - high)
        }
        j += run
        x = 0
        y += 1
    }
}

/// Copies `rows` rows of `count` floats, `rowStride` apart, into a contiguous panel of
/// `tilePixels`-float rows, zero-padding each row past `count`.
func packRows(_ source: UnsafePointer<Float>, rowStride: Int, rows: Int, count: Int, tilePixels: Int,
              into panel: UnsafeMutablePointer<Float>) {
    var from = source, to = panel
    for _ in 0..<rows {
        storeRow(from, to, count)
        if count < tilePixels { zeroRow(to + count, tilePixels - count) }
        from += rowStride
        to += tilePixels
    }
}

/// Copies `rows` rows of `tilePixels` floats starting at `source + offsets[k]` into a contiguous panel.
func gatherRows(_ source: UnsafePointer<Float>, offsets: UnsafePointer<Int>, rows: Int, tilePixels: Int,
                into panel: UnsafeMutablePointer<Float>) {
    var to = panel
    for k in 0..<rows {
        storeRow(source + offsets[k], to, tilePixels)
        to += tilePixels
    }
}
