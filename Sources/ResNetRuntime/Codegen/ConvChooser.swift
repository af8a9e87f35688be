// Picks a convolution algorithm from the shape (kept apart from the kernels it picks between).

import ResNetKernelABI

/// Chooses how each convolution runs.
enum ConvChooser {
    /// Depthwise → direct (one input and fewer than 8 output channels per group cannot fill a
    /// register tile's rows; a 1-channel input with more outputs, as an MNIST stem, reduces
    /// over its taps: 1 → 20 channels, 5×5 at 28×28, took 0.024 ms as implicit GEMM against
    /// 0.104 direct, AVX2); 1×1 stride-1
    /// unpadded → pointwise GEMM on NCHW; everything else → implicit GEMM over stride phases
    /// (measured 2–3× faster than packing im2col panels per tile). A forced algorithm wins
    /// wherever it applies.
    static func method(for shape: ConvShape, forced: ConvAlgorithm?) -> ConvMethod {
        let isPointwise = shape.kernel == 1 && shape.stride == 1 && shape.padding == 0
        switch forced {
        case .direct?: return .direct
        case .im2col?: return .im2col
        case .implicit?: return .implicit
        case .pointwise? where isPointwise: return .pointwise
        default: break
        }
        if shape.inPerGroup == 1 && shape.outPerGroup < 8 { return .direct }
        return isPointwise ? .pointwise : .implicit
    }
}
