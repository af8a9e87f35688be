// Picks a convolution algorithm from the shape (kept apart from the kernels it picks between).

import ResNetKernelABI

/// Chooses how each convolution runs.
enum ConvChooser {
    /// Depthwise → direct (a 1-channel reduction cannot fill a register tile); 1×1 stride-1
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
        if shape.inPerGroup == 1 { return .direct }
        return isPointwise ? .pointwise : .implicit
    }
}
