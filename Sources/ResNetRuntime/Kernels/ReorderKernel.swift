// Copies a 4-D tensor between NCHW and nChw16c (a `copy` step whose input and output layouts
// differ): where a blocked value meets a model output, or a consumer that reads NCHW. Also the
// second half of a conv with a blocked input and an nchw output (ConvBinding.unblocks): its
// sums, computed nChw16c into a step buffer, reordered and finished into the nchw output.

/// Reorders `[N, C, H, W]` between the two layouts, then applies the step's epilogue.
/// Unit: one (image, 16-channel block); the block's 16 planes are read or written as a
/// `[H·W][16]` run.
struct ReorderKernel {
    let batch: Int, channels: Int, pixels: Int
    /// Whether the input is the blocked one (else the output is).
    let fromBlocked: Bool
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let epilogue: EpilogueKernel
    /// Per-worker scratch of at least `16 · pixels` floats, or nil. With it each block is
    /// reordered and finished in the worker's slot before it is stored, so the output may be
    /// the epilogue's residual itself (an unblocking conv the planner wrote over its shortcut):
    /// no output element is written before its residual element is read.
    var slots: ScratchSlots? = nil

    var unitCount: Int { batch * channels / 16 }

    func run(_ units: Range<Int>, worker: Int) {
        for unit in units {
            // Unit u covers channels 16·(u mod C/16)… of image u / (C/16): both layouts keep
            // that block's floats in one contiguous run of 16·pixels.
            let base = unit * 16 * pixels
            let source = input + base
            // With a slot, the slot stands for output elements base…: the epilogue reads the
            // residual at those elements and writes the slot.
            let staged = slots.map { $0.slot(worker) }
            let destination = staged ?? output + base
            for lane in 0..<16 {
                let plane = lane * pixels
                if fromBlocked {
                    for p in 0..<pixels { destination[plane + p] = source[p * 16 + lane] }
                } else {
                    for p in 0..<pixels { destination[p * 16 + lane] = source[plane + p] }
                }
            }
            if !epilogue.isIdentity { epilogue.finish(destination - base, elements: base..<base + 16 * pixels) }
            if let staged { (output + base).update(from: staged, count: 16 * pixels) }
        }
    }
}
