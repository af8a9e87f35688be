// Elementwise steps: per-channel scale+shift, activation, add, copy and the option-A shortcut.
// Work unit: one "row" — an `(n, c)` plane for rank ≥ 3 tensors, an `(n, block)` plane of 16
// channels for nChw16c ones, an `n` row for rank ≤ 2 — so every unit is contiguous and the
// epilogue finishes it while it is in cache.

/// How an elementwise tensor is cut into contiguous rows, and which channel each element has.
struct RowLayout {
    /// Number of rows (work units).
    let rows: Int
    /// Floats per row.
    let rowLength: Int
    /// Channels (dim 1), or 1 for rank-1 tensors.
    let channels: Int
    /// True when a row is one channel plane (rank ≥ 3); false when a row spans all channels.
    let rowIsPlane: Bool
    /// True when a row is one nChw16c block plane: element `i` of it has channel `16·b + i mod 16`
    /// for the row's block `b`.
    let rowIsBlock: Bool

    /// The layout of `shape`, stored as `layout`.
    init(shape: [Int], layout: TensorLayout = .nchw) {
        let count = shape.reduce(1, *)
        rowIsBlock = layout == .nChw16c && shape.count == 4
        if rowIsBlock {
            rows = shape[0] * shape[1] / 16
            rowLength = 16 * shape[2] * shape[3]
            channels = shape[1]
            rowIsPlane = false
        } else if shape.count >= 3 {
            rows = shape[0] * shape[1]
            rowLength = shape[2...].reduce(1, *)
            channels = shape[1]
            rowIsPlane = true
        } else if shape.count == 2 {
            rows = shape[0]
            rowLength = shape[1]
            channels = shape[1]
            rowIsPlane = false
        } else {
            rows = 1
            rowLength = count
            channels = 1
            rowIsPlane = false
        }
    }
}

/// The elementwise operation to perform before the epilogue.
enum ElementwiseOperation {
    /// `x · scale[c] + shift[c]`.
    case scaleShift(UnsafePointer<Float>, scale: UnsafePointer<Float>, shift: UnsafePointer<Float>)
    /// `a + b`.
    case add(UnsafePointer<Float>, UnsafePointer<Float>)
    /// `x` (the activation comes from the epilogue).
    case copy(UnsafePointer<Float>)
}

/// An elementwise step bound to its pointers. Inputs may alias the output exactly.
struct ElementwiseKernel {
    let layout: RowLayout
    let operation: ElementwiseOperation
    let output: UnsafeMutablePointer<Float>
    let epilogue: EpilogueKernel

    var unitCount: Int { layout.rows }

    func run(_ units: Range<Int>) {
        let length = layout.rowLength
        for row in units {
            let start = row * length
            let dst = output + start
            switch operation {
            case .scaleShift(let x, let scale, let shift):
                scaleShiftRow(dst, x + start, scale: scale, shift: shift, row: row)
            case .add(let a, let b):
                let a = a + start, b = b + start
                for i in 0..<length { dst[i] = a[i] + b[i] }
            case .copy(let x):
                if UnsafePointer(dst) != x + start { dst.update(from: x + start, count: length) }
            }
            if !epilogue.isIdentity { epilogue.finish(output, elements: start..<start + length) }
        }
    }

    @inline(__always)
    private func scaleShiftRow(_ dst: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>,
                               scale: UnsafePointer<Float>, shift: UnsafePointer<Float>, row: Int) {
        let length = layout.rowLength
        if layout.rowIsBlock {
            let first = row % (layout.channels / 16) * 16
            let s = scale + first, t = shift + first
            for i in 0..<length { dst[i] = x[i] * s[i & 15] + t[i & 15] }
        } else if layout.rowIsPlane {
            let c = row % layout.channels
            let s = scale[c], t = shift[c]
            for i in 0..<length { dst[i] = x[i] * s + t }
        } else if layout.channels == length {
            for i in 0..<length { dst[i] = x[i] * scale[i] + shift[i] }
        } else {
            for i in 0..<length { dst[i] = x[i] * scale[0] + shift[0] }
        }
    }
}

/// The stand-alone option-A shortcut: `y[n, p + c, h, w] = x[n, c, h·s, w·s]`, zeros in the
/// other channels. Work unit: one output plane.
struct ShortcutAKernel {
    let batch: Int
    let inChannels: Int, inHeight: Int, inWidth: Int
    let outChannels: Int, outHeight: Int, outWidth: Int
    let stride: Int
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let epilogue: EpilogueKernel

    var unitCount: Int { batch * outChannels }

    func run(_ units: Range<Int>) {
        let planeSize = outHeight * outWidth
        let pad = (outChannels - inChannels) / 2
        for plane in units {
            let n = plane / outChannels
            let c = plane % outChannels - pad
            let dst = output + plane * planeSize
            if c >= 0 && c < inChannels {
                let src = input + (n * inChannels + c) * inHeight * inWidth
                for y in 0..<outHeight {
                    let srcRow = src + y * stride * inWidth
                    let dstRow = dst + y * outWidth
                    for x in 0..<outWidth { dstRow[x] = srcRow[x * stride] }
                }
            } else {
                dst.update(repeating: 0, count: planeSize)
            }
            if !epilogue.isIdentity { epilogue.finish(output, elements: plane * planeSize..<(plane + 1) * planeSize) }
        }
    }
}
