// Depthwise convolution over nChw16c (one input and one output channel per group): each 16-lane
// vector is one block's channels, so a tap is one multiply-add of the block's weight vector with
// the input pixel's vector. Four output pixels at a time keep four independent sums (the FMA
// latency), each reducing its taps in (kh, kw) order, so results do not depend on the split.

import ResNetKernelABI

extension ConvKernels {
    /// Pre-pass: input planes `units` (one per image and block) copied with the conv's zero halo.
    static func padDepthwiseInput(_ job: ConvJob, units: Range<Int>) {
        guard let t = job.depthwise, t.pads, let padded = job.phases else { return }
        let s = job.shape
        padPlanes(job.input, into: padded, units: units, height: s.inHeight, width: s.inWidth, floatsPerPixel: 16,
                  padding: s.padding, paddedHeight: t.inputHeight, paddedWidth: t.inputWidth)
    }

    /// One unit: an image's block over a range of output rows.
    static func depthwiseUnit(_ job: ConvJob, _ unit: Int) {
        guard let t = job.depthwise else { return }
        let s = job.shape
        let (n, block, rows) = t.unit(unit, of: s)
        let blocks = s.outChannels / 16
        let inPlane = t.inputHeight * t.inputWidth * 16
        let source = UnsafePointer(t.pads ? UnsafePointer(job.phases!) : job.input) + (n * blocks + block) * inPlane
        let weights = job.weights + block * s.kernel * s.kernel * 16
        let outPlane = s.pixels * 16
        let output = job.epilogue.output + n * blocks * outPlane
        var residual: UnsafePointer<Float>? = nil
        if case .identity(let r) = job.epilogue.residual { residual = r + n * blocks * outPlane }
        let store = BlockStore(output: output, blockStride: outPlane, residual: residual,
                               bias: job.bias, activation: job.epilogue.activation)
        let k = s.kernel, step = s.stride * 16, rowFloats = t.inputWidth * 16
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> Block {
            UnsafeRawPointer(p).loadUnaligned(as: Block.self)
        }
        for y in rows {
            let top = source + y * s.stride * rowFloats
            var x = 0
            while x + 4 <= s.outWidth {
                var a0 = Block(repeating: 0), a1 = a0, a2 = a0, a3 = a0
                var w = weights
                for kh in 0..<k {
                    var p = top + kh * rowFloats + x * step
                    for _ in 0..<k {
                        let wv = load(w)
                        multiplyAdd(&a0, wv, load(p))
                        multiplyAdd(&a1, wv, load(p + step))
                        multiplyAdd(&a2, wv, load(p + 2 * step))
                        multiplyAdd(&a3, wv, load(p + 3 * step))
                        w += 16
                        p += 16
                    }
                }
                let pixel = y * s.outWidth + x
                store.put(a0, block, pixel)
                store.put(a1, block, pixel + 1)
                store.put(a2, block, pixel + 2)
                store.put(a3, block, pixel + 3)
                x += 4
            }
            while x < s.outWidth {
                var a = Block(repeating: 0)
                var w = weights
                for kh in 0..<k {
                    var p = top + kh * rowFloats + x * step
                    for _ in 0..<k {
                        multiplyAdd(&a, load(w), load(p))
                        w += 16
                        p += 16
                    }
                }
                store.put(a, block, y * s.outWidth + x)
                x += 1
            }
            if store.kind == 2 {
                store.activateStoredRun(block: block, pixel: y * s.outWidth, count: s.outWidth)
            }
        }
    }
}
