// Copies a 4-D tensor between NCHW and nChw16c (a `copy` step whose input and output layouts
// differ): where a blocked value meets a model output, or a consumer that reads NCHW.

/// Reorders `[N, C, H, W]` between the two layouts, then applies the step's epilogue activation.
/// Unit: one (image, 16-channel block); the block's 16 planes are read or written as a
/// `[H·W][16]` run.
struct ReorderKernel {
    let batch: Int, channels: Int, pixels: Int
    /// Whether the input is the blocked one (else the output is).
    let fromBlocked: Bool
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let epilogue: EpilogueKernel

    var unitCount: Int { batch * channels / 16 }

    func run(_ units: Range<Int>) {
        for unit in units {
            // Unit u covers channels 16·(u mod C/16)… of image u / (C/16): both layouts keep
            // that block's floats in one contiguous run of 16·pixels.
            let base = unit * 16 * pixels
            let source = input + base, destination = output + base
            for lane in 0..<16 {
                let plane = lane * pixels
                if fromBlocked {
                    for p in 0..<pixels { destination[plane + p] = source[p * 16 + lane] }
                } else {
                    for p in 0..<pixels { destination[p * 16 + lane] = source[plane + p] }
                }
            }
            if !epilogue.isIdentity { epilogue.finish(output, elements: base..<base + 16 * pixels) }
        }
    }
}
