// The second half of a conv with a blocked input and an nchw output (ConvBinding.unblocks): its
// sums, computed nChw16c into a step buffer, are reordered to nchw and finished (residual,
// activation) into the output. A unit is one 16-channel block of one image, finished in the
// worker's own slot before it is stored: the output may be the residual itself (a conv the
// memory planner wrote over its shortcut), so no output element is written before its residual
// element is read.

/// Reorders and finishes one unblocking conv's output.
struct UnblockKernel {
    let batch: Int, channels: Int, pixels: Int
    /// The conv's sums and bias, nChw16c.
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let epilogue: EpilogueKernel
    /// Per-worker scratch of at least `16 · pixels` floats (ConvBinding.scratchFloats).
    let slots: ScratchSlots

    var unitCount: Int { batch * channels / 16 }
    /// Floats of one 16-channel block of one image.
    var blockFloats: Int { 16 * pixels }

    func run(_ units: Range<Int>, worker: Int) {
        let slot = slots.slot(worker)
        for unit in units {
            // Unit u covers channels 16·(u mod C/16)… of image u / (C/16): both layouts keep
            // that block's floats in one contiguous run of 16·pixels.
            let base = unit * blockFloats
            let source = input + base
            for lane in 0..<16 {
                let plane = slot + lane * pixels
                for p in 0..<pixels { plane[p] = source[p * 16 + lane] }
            }
            // The slot stands for output elements base…: the epilogue reads the residual at
            // those elements and writes the slot.
            if !epilogue.isIdentity { epilogue.finish(slot - base, elements: base..<base + blockFloats) }
            (output + base).update(from: slot, count: blockFloats)
        }
    }
}
