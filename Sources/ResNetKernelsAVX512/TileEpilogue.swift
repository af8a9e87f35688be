// Finishing reduced values: bias, residual and activation applied to a row of a tile (still in
// L1), then one store per output element. Shared by every conv method and the linear layer.
//
// In-place guarantee: for every output element i, residual[i] is read before output[i] is
// written, each output element is written exactly once, after its reduction is complete, and no
// partial sum is ever stored in the output. So an identity residual may be the output buffer
// itself (the plan validator allows exactly that aliasing for convolutions).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ResNetKernelABI

extension EpilogueJob {
    /// Finishes `count` values of `row` (modified in place) as output `[n, channel, p0 ..< p0+count]`
    /// and stores them there.
    @inline(__always)
    func finishRow(_ row: UnsafeMutablePointer<Float>, count: Int, batch n: Int, channel: Int,
                   pixel p0: Int, bias: Float) {
        let start = (n * channels + channel) * pixels + p0
        switch residual {
        case .none:
            if bias != 0 { for i in 0..<count { row[i] += bias } }
        case .identity(let source):
            let shortcut = source + start
            for i in 0..<count { row[i] += bias + shortcut[i] }
        case .subsampled(let source, let stride, let sourceChannels, let height, let width, let pad):
            if bias != 0 { for i in 0..<count { row[i] += bias } }
            let c = channel - pad
            if c >= 0 && c < sourceChannels {
                let plane = source + (n * sourceChannels + c) * height * width
                addSubsampled(row, count: count, from: plane, stride: stride, sourceWidth: width, pixel: p0)
            }
        }
        applyActivation(row, count)
        storeRow(row, output + start, count)
    }

    /// `row[i] += plane[y·s, x·s]` where `(y, x)` is output pixel `p0 + i`.
    @inline(__always)
    private func addSubsampled(_ row: UnsafeMutablePointer<Float>, count: Int, from plane: UnsafePointer<Float>,
                               stride: Int, sourceWidth: Int, pixel p0: Int) {
        var y = p0 / width, x = p0 % width
        for i in 0..<count {
            row[i] += plane[(y * stride) * sourceWidth + x * stride]
            x += 1
            if x == width { x = 0; y += 1 }
        }
    }

    @inline(__always)
    private func applyActivation(_ p: UnsafeMutablePointer<Float>, _ count: Int) {
        switch activation {
        case .identity:
            return
        case .relu:
            for i in 0..<count { p[i] = max(p[i], 0) }
        case .leakyRelu(let slope):
            for i in 0..<count { let x = p[i]; p[i] = x > 0 ? x : x * slope }
        case .relu6:
            for i in 0..<count { p[i] = min(max(p[i], 0), 6) }
        case .sigmoid:
            for i in 0..<count { p[i] = 1 / (1 + expf(-p[i])) }
        case .silu:
            for i in 0..<count { let x = p[i]; p[i] = x / (1 + expf(-x)) }
        }
    }
}

/// Copies `count` floats with vector moves (a plain loop here would become a `memcpy` call,
/// too costly for rows of a few dozen floats).
@inline(__always)
func storeRow(_ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, _ count: Int) {
    let width = Vec.scalarCount
    let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(destination)
    var i = 0
    while i + width <= count {
        to.storeBytes(of: from.loadUnaligned(fromByteOffset: 4 * i, as: Vec.self), toByteOffset: 4 * i, as: Vec.self)
        i += width
    }
    while i < count {
        destination[i] = source[i]
        i += 1
    }
}

/// Sets `count` floats to zero with vector stores.
@inline(__always)
func zeroRow(_ destination: UnsafeMutablePointer<Float>, _ count: Int) {
    let width = Vec.scalarCount
    let to = UnsafeMutableRawPointer(destination)
    var i = 0
    while i + width <= count {
        to.storeBytes(of: Vec(), toByteOffset: 4 * i, as: Vec.self)
        i += width
    }
    while i < count {
        destination[i] = 0
        i += 1
    }
}
