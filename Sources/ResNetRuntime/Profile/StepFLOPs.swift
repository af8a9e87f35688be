// Floating-point operations of one plan step, from its shapes alone (for GFLOP/s in profiles).

extension Step {
    /// Floating-point operations of one execution of this step, whole batch, counted as
    /// `Graph.flops` counts them for convs and linears (2 × multiply-adds):
    /// - conv: 2·N·O·H·W·(I/groups)·K² (H, W of the output);
    /// - linear: 2·N·O·I;
    /// - scale_shift: 2 per output element; activation, add: 1 per output element;
    /// - max/avg pool: K² per output element; global average pool: 1 per input element;
    /// - softmax: 3 per element (exponential, sum, divide);
    /// - shortcut_a, copy: 0 (data movement only).
    /// The epilogue (bias, residual add, activation) is not counted.
    public var flops: Int {
        let outputs = output.count
        switch op {
        case .conv2d(let p):
            let inPerGroup = (inputs.first?.shape.dropFirst().first ?? 0) / max(p.groups, 1)
            return 2 * outputs * inPerGroup * p.kernel * p.kernel
        case .linear:
            let inFeatures = inputs.first?.shape.last ?? 0
            return 2 * outputs * inFeatures
        case .scaleShift:
            return 2 * outputs
        case .activation, .add:
            return outputs
        case .maxPool(let p), .avgPool(let p):
            return outputs * p.kernel * p.kernel
        case .globalAvgPool:
            return inputs.first?.count ?? 0
        case .softmax:
            return 3 * outputs
        case .shortcutA, .copy:
            return 0
        }
    }
}
