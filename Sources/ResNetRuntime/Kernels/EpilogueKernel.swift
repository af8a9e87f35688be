// The fused epilogue `out = activation(value + shortcut)` run on a finished slice of a step's output.
// Kernels call it right after computing a plane/row so the data is still in cache.

/// Where a step's residual operand comes from, resolved to raw pointers.
enum ShortcutSource {
    /// No residual: only the activation.
    case none
    /// A tensor shaped like the output, read element for element.
    case identity(UnsafePointer<Float>)
    /// Option A: `[N, C, H, W]` subsampled by `stride`, channel c lands on output channel c + pad.
    case subsampled(UnsafePointer<Float>, stride: Int, channels: Int, height: Int, width: Int,
                    channelPad: Int)
}

/// Applies the epilogue to slices of one output tensor viewed as planes `[N·C][S]`.
struct EpilogueKernel {
    let activation: Activation
    let shortcut: ShortcutSource
    /// Output channels (dim 1), used to find a plane's channel for option-A shortcuts.
    let channels: Int
    /// Output plane height and width (option A only; 1 × 1 otherwise is never used).
    let height: Int
    let width: Int

    /// True when finishing does nothing, so kernels can skip the call entirely.
    var isIdentity: Bool {
        if case .none = shortcut, activation == .identity { return true }
        return false
    }

    /// Finishes `out[elements]`. For option-A shortcuts the range must cover whole planes.
    func finish(_ out: UnsafeMutablePointer<Float>, elements: Range<Int>) {
        let start = out + elements.lowerBound
        switch shortcut {
        case .none:
            ActivationLoops.apply(activation, start, elements.count)
        case .identity(let source):
            ActivationLoops.addAndApply(activation, start, source + elements.lowerBound, elements.count)
        case .subsampled(let source, let stride, let inChannels, let inHeight, let inWidth, let pad):
            let planeSize = height * width
            precondition(elements.lowerBound % planeSize == 0 && elements.count % planeSize == 0,
                         "option-A epilogue needs whole planes")
            for plane in (elements.lowerBound / planeSize)..<(elements.upperBound / planeSize) {
                let batch = plane / channels
                let sourceChannel = plane % channels - pad
                let dst = out + plane * planeSize
                if sourceChannel >= 0 && sourceChannel < inChannels {
                    let src = source + (batch * inChannels + sourceChannel) * inHeight * inWidth
                    addSubsampled(dst, src, stride: stride, inWidth: inWidth)
                }
                ActivationLoops.apply(activation, dst, planeSize)
            }
        }
    }

    /// `dst[y, x] += src[y·s, x·s]` over the output plane.
    private func addSubsampled(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>,
                               stride: Int, inWidth: Int) {
        for y in 0..<height {
            let dstRow = dst + y * width
            let srcRow = src + y * stride * inWidth
            for x in 0..<width { dstRow[x] += srcRow[x * stride] }
        }
    }
}
