// Global-average pooling over nChw16c tensors (`TensorLayout.nChw16c`): one SIMD16 of 16
// channels per pixel, so every operation of the NCHW kernel runs on 16 channels at once.
// Results are bitwise those of `GlobalAvgPoolKernel` on the same logical data. (Max pooling over
// nChw16c runs in the kernel modules: `PoolKernels.blockedMaxPool`, bound in KernelDispatch.)

/// AdaptiveAvgPool2d(1) from nChw16c to NCHW `[N, C, 1, 1]`. Work unit: one channel-block
/// plane (`N·C/16` of them). Each channel is summed in Double in pixel order and divided by the
/// pixel count, exactly as `GlobalAvgPoolKernel` does, 16 channels per vector.
struct BlockedGlobalAvgPoolKernel {
    /// Channel-block planes, `N·C/16`.
    let planes: Int
    /// Pixels per plane, `H·W`.
    let planeSize: Int
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let epilogue: EpilogueKernel

    var unitCount: Int { planes }

    func run(_ units: Range<Int>) {
        for plane in units {
            let src = input + plane * planeSize * 16
            var sum = SIMD16<Double>()
            for i in 0..<planeSize { sum += SIMD16<Double>(load(src + i * 16)) }
            let mean = SIMD16<Float>(sum / Double(planeSize))
            // Channel `16·(plane mod C/16) + lane` of batch `plane / (C/16)` is NCHW float `16·plane + lane`.
            UnsafeMutableRawPointer(output + plane * 16).storeBytes(of: mean, as: SIMD16<Float>.self)
            if !epilogue.isIdentity { epilogue.finish(output, elements: plane * 16..<plane * 16 + 16) }
        }
    }
}

/// The 16 channels of one nChw16c pixel (arena tensors need not be 64-byte aligned).
@inline(__always)
private func load(_ pixel: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(pixel).loadUnaligned(as: SIMD16<Float>.self)
}
