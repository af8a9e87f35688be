// Fully connected layers: four outputs at a time share every input-vector load; each dot product
// sums vector lanes in a fixed order, so the split over threads never changes a bit.

import ResNetKernelABI

/// Entry point the runtime calls for linear layers compiled into this module.
public enum LinearKernels {
    /// Computes and stores the units in `units` (unit = `LinearJob.rows` outputs of one row).
    public static func run(_ job: LinearJob, units: Range<Int>) {
        let blocks = (job.outFeatures + LinearJob.rows - 1) / LinearJob.rows
        var values = SIMD4<Float>()
        for unit in units {
            let n = unit / blocks
            let o0 = (unit % blocks) * LinearJob.rows
            let count = min(LinearJob.rows, job.outFeatures - o0)
            dot4(job, row: job.input + n * job.inFeatures, firstOutput: o0, into: &values)
            withUnsafeMutableBytes(of: &values) { raw in
                let row = raw.baseAddress!.assumingMemoryBound(to: Float.self)
                // The linear output is `[N, O]`: one row of O "pixels" per image, bias per feature.
                if let bias = job.bias { for i in 0..<count { row[i] += bias[o0 + i] } }
                job.epilogue.finish(FinishedTile(values: row, rowStride: LinearJob.rows, rows: 1, count: count,
                                                 batch: n, channel0: 0, pixel0: o0), bias: nil)
            }
        }
    }

    /// `values[i] = x · W[o0 + i]` for the four outputs from `o0` (rows past the end repeat the last).
    @inline(__always)
    private static func dot4(_ job: LinearJob, row x: UnsafePointer<Float>, firstOutput o0: Int,
                             into values: inout SIMD4<Float>) {
        let length = job.inFeatures
        let last = job.outFeatures - 1
        let w0 = UnsafeRawPointer(job.weights + o0 * length)
        let w1 = UnsafeRawPointer(job.weights + min(o0 + 1, last) * length)
        let w2 = UnsafeRawPointer(job.weights + min(o0 + 2, last) * length)
        let w3 = UnsafeRawPointer(job.weights + min(o0 + 3, last) * length)
        let xs = UnsafeRawPointer(x)
        var a0 = Vec(), a1 = Vec(), a2 = Vec(), a3 = Vec()
        let width = Vec.scalarCount
        var i = 0
        while i + width <= length {
            let offset = 4 * i
            let v = xs.loadUnaligned(fromByteOffset: offset, as: Vec.self)
            multiplyAdd(&a0, v, w0.loadUnaligned(fromByteOffset: offset, as: Vec.self))
            multiplyAdd(&a1, v, w1.loadUnaligned(fromByteOffset: offset, as: Vec.self))
            multiplyAdd(&a2, v, w2.loadUnaligned(fromByteOffset: offset, as: Vec.self))
            multiplyAdd(&a3, v, w3.loadUnaligned(fromByteOffset: offset, as: Vec.self))
            i += width
        }
        var sums = SIMD4<Float>(a0.sum(), a1.sum(), a2.sum(), a3.sum())
        while i < length {
            let v = x[i]
            let base = job.weights + i
            sums += SIMD4(v, v, v, v) * SIMD4(base[o0 * length], base[min(o0 + 1, last) * length],
                                              base[min(o0 + 2, last) * length], base[min(o0 + 3, last) * length])
            i += 1
        }
        values = sums
    }
}
