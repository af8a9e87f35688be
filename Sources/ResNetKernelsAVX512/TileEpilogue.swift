// Finishing a tile of reduced values: bias, residual and activation applied in one vector pass
// per tile row (the tile is still in L1), then one store per output element. Shared by every
// conv method and the linear layer.
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

/// A finished tile: `rows` rows of `count` values, `rowStride` floats apart (rows may be padded
/// past `count`; padding is read but never stored), for channels `channel0...` and pixels
/// `p0 ..< p0 + count` of image `batch`.
struct FinishedTile {
    let values: UnsafeMutablePointer<Float>
    let rowStride: Int
    let rows: Int
    let count: Int
    let batch: Int
    let channel0: Int
    let pixel0: Int
}

extension EpilogueJob {
    /// Applies `activation(value + bias[channel] + residual)` to `tile` and stores it to the output.
    /// Kept out of line: inlined into a kernel's unit loop it grew that function past the
    /// inliner's budget, and the vector loads below became calls (perf: 9 % of ResNet-50).
    @inline(never)
    func finish(_ tile: FinishedTile, bias: UnsafePointer<Float>?) {
        var shortcut: UnsafePointer<Float>? = nil
        switch residual {
        case .none:
            break
        case .identity(let source):
            shortcut = source
        case .subsampled(let source, let stride, let sourceChannels, let height, let width, let pad):
            // Rare (CIFAR-style nets): gather the shortcut into the tile first, then finish as usual.
            for r in 0..<tile.rows {
                let c = tile.channel0 + r - pad
                guard c >= 0 && c < sourceChannels else { continue }
                let plane = source + (tile.batch * sourceChannels + c) * height * width
                addSubsampled(tile.values + r * tile.rowStride, tile.count, plane, stride: stride,
                              sourceWidth: width, pixel: tile.pixel0)
            }
        }
        switch activation {
        case .identity: store(tile, bias, shortcut, IdentityOp(), 0)
        case .relu: store(tile, bias, shortcut, ReluOp(), 0)
        case .leakyRelu(let slope): store(tile, bias, shortcut, LeakyReluOp(), slope)
        case .relu6: store(tile, bias, shortcut, Relu6Op(), 0)
        case .sigmoid: store(tile, bias, shortcut, SigmoidOp(), 0)
        case .silu: store(tile, bias, shortcut, SiluOp(), 0)
        }
    }

    /// One pass per row: `out = activate(tile + bias + shortcut)`, full vectors then a lane tail.
    /// Generic over the activation so each case is specialized with its vector code inlined
    /// (a closure here stayed an out-of-line call per vector).
    @inline(__always)
    private func store<Op: VectorActivation>(_ tile: FinishedTile, _ bias: UnsafePointer<Float>?,
                                             _ shortcut: UnsafePointer<Float>?, _ op: Op, _ slope: Float) {
        let width = Vec.scalarCount
        let full = tile.count / width * width
        for r in 0..<tile.rows {
            let channel = tile.channel0 + r
            let start = (tile.batch * channels + channel) * pixels + tile.pixel0
            let b = Vec(repeating: bias?[channel] ?? 0)
            let source = UnsafeRawPointer(tile.values + r * tile.rowStride)
            let destination = UnsafeMutableRawPointer(output + start)
            if let shortcut {
                let extra = UnsafeRawPointer(shortcut + start)
                var i = 0
                while i < full {
                    let v = source.loadUnaligned(fromByteOffset: 4 * i, as: Vec.self) + b
                        + extra.loadUnaligned(fromByteOffset: 4 * i, as: Vec.self)
                    destination.storeBytes(of: op.apply(v, slope), toByteOffset: 4 * i, as: Vec.self)
                    i += width
                }
                for j in full..<tile.count {
                    let v = Vec(repeating: tile.values[r * tile.rowStride + j] + b[0] + shortcut[start + j])
                    output[start + j] = op.apply(v, slope)[0]
                }
            } else {
                var i = 0
                while i < full {
                    let v = source.loadUnaligned(fromByteOffset: 4 * i, as: Vec.self) + b
                    destination.storeBytes(of: op.apply(v, slope), toByteOffset: 4 * i, as: Vec.self)
                    i += width
                }
                for j in full..<tile.count {
                    output[start + j] = op.apply(Vec(repeating: tile.values[r * tile.rowStride + j] + b[0]), slope)[0]
                }
            }
        }
    }

    /// `row[i] += plane[y·s, x·s]` where `(y, x)` is output pixel `p0 + i`.
    @inline(__always)
    private func addSubsampled(_ row: UnsafeMutablePointer<Float>, _ count: Int, _ plane: UnsafePointer<Float>,
                               stride: Int, sourceWidth: Int, pixel p0: Int) {
        var y = p0 / width, x = p0 % width
        for i in 0..<count {
            row[i] += plane[(y * stride) * sourceWidth + x * stride]
            x += 1
            if x == width { x = 0; y += 1 }
        }
    }
}

/// An activation on whole vectors (`slope` is only read by leaky ReLU).
protocol VectorActivation {
    func apply(_ v: Vec, _ slope: Float) -> Vec
}

struct IdentityOp: VectorActivation {
    @inline(__always) func apply(_ v: Vec, _ slope: Float) -> Vec { v }
}

struct ReluOp: VectorActivation {
    @inline(__always) func apply(_ v: Vec, _ slope: Float) -> Vec { v.replacing(with: 0, where: v .< 0) }
}

struct LeakyReluOp: VectorActivation {
    @inline(__always) func apply(_ v: Vec, _ slope: Float) -> Vec { v.replacing(with: v * slope, where: v .< 0) }
}

struct Relu6Op: VectorActivation {
    @inline(__always) func apply(_ v: Vec, _ slope: Float) -> Vec {
        v.replacing(with: 0, where: v .< 0).replacing(with: 6, where: v .> 6)
    }
}

struct SigmoidOp: VectorActivation {
    @inline(__always) func apply(_ v: Vec, _ slope: Float) -> Vec { 1 / (1 + VectorMath.exp(-v)) }
}

struct SiluOp: VectorActivation {
    @inline(__always) func apply(_ v: Vec, _ slope: Float) -> Vec { v / (1 + VectorMath.exp(-v)) }
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
