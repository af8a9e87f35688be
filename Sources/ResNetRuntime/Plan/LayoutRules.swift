// The layout rules: which tensors and steps may use `nChw16c`. One source of truth for the
// runtime's validator (which rejects plans breaking them) and the compiler's layout assignment
// (which only emits plans keeping them). Pure functions over plan values; nothing here traps.

import ResNetKernelABI

/// What the runtime's kernels support for each `TensorLayout`.
public enum LayoutRules {
    /// Whether a tensor of `shape` may be stored `nChw16c`: rank 4, every dimension ≥ 1, channels a
    /// multiple of 16 and more than one pixel (a 1×1 plane gains nothing from blocking).
    public static func canBlock(shape: [Int]) -> Bool {
        guard shape.count == 4, shape.allSatisfy({ $0 >= 1 }), shape[1] % 16 == 0 else { return false }
        let pixels = shape[2].multipliedReportingOverflow(by: shape[3])
        return pixels.overflow || pixels.partialValue > 1
    }

    /// Why `tensor` cannot be a model input or output (they are always `nchw`), or nil.
    public static func bindingViolation(_ tensor: TensorRef) -> String? {
        mismatch("layout", expected: .nchw, found: tensor.layout, because: "model inputs and outputs are nchw")
    }

    /// The first layout rule `step` breaks, as a message naming the tensor (`input 0`, `residual`,
    /// `output`) with the expected and the found layout; nil when it keeps them all. Operand
    /// counts are the validator's business: missing operands are simply not checked here.
    public static func violation(in step: Step) -> String? {
        let hasResidual = step.epilogue.residual != nil && step.inputs.count > 1
        let main = hasResidual ? Array(step.inputs.dropLast()) : step.inputs
        let residual = hasResidual ? step.inputs.last : nil
        let output = step.output
        func role(_ index: Int) -> String { "input \(index)" }

        for (index, tensor) in main.enumerated() { if let m = blockable(tensor, role(index)) { return m } }
        if let residual, let m = blockable(residual, "residual") { return m }
        if let m = blockable(output, "output") { return m }

        // A blocked conv makes its option-A residual blocked first (`BlockedShortcutAKernel`); other
        // steps add one only to nchw outputs.
        if case .shortcutA = step.epilogue.residual, !isConv(step),
           let m = mismatch("output layout", expected: .nchw, found: output.layout, because: "an option-A residual needs nchw outside a convolution") {
            return m
        }
        switch step.op {
        case .conv2d(let p):
            if output.layout == .nChw16c {
                if isBlockedDepthwise(step, p) {
                    // One input and one output channel per group: whole blocks per tap, read blocked.
                    if let input = main.first, let m = mismatch("\(role(0)) layout", expected: .nChw16c, found: input.layout,
                                                               because: "a blocked depthwise convolution reads blocked") {
                        return m
                    }
                } else if p.groups != 1 {
                    return mismatch("output layout", expected: .nchw, found: output.layout, because: "a grouped convolution writes nchw unless it is depthwise")
                }
                // Written over its own input: the blocked in-place kernel needs the input blocked
                // (the same positions for the same pixels) and no residual.
                if PlanValidator.isPointwisePrefix(step), hasResidual || main.first?.layout != .nChw16c {
                    return mismatch("output layout", expected: .nchw, found: output.layout, because: "the convolution writes over its own input")
                }
            } else if let input = main.first, !convMayUnblock(step),
                      let m = mismatch("\(role(0)) layout", expected: .nchw, found: input.layout,
                                       because: "an nchw convolution reads nchw unless it has one group, output channels a multiple of 16 and its own output buffer") {
                return m
            }
        case .maxPool:
            if let input = main.first,
               let m = mismatch("\(role(0)) layout", expected: output.layout, found: input.layout, because: "max pooling keeps the layout") {
                return m
            }
        case .globalAvgPool:
            break // input either layout; its [N, C, 1, 1] output cannot be blocked (checked above)
        case .copy:
            break // a copy between layouts reorders (ReorderKernel)
        case .add, .activation, .scaleShift:
            for (index, input) in main.enumerated() {
                if let m = mismatch("\(role(index)) layout", expected: output.layout, found: input.layout, because: "elementwise operands share the output's layout") {
                    return m
                }
            }
        case .linear, .avgPool, .softmax, .shortcutA:
            for (index, input) in main.enumerated() {
                if let m = mismatch("\(role(index)) layout", expected: .nchw, found: input.layout, because: "this op is nchw only") { return m }
            }
            if let m = mismatch("output layout", expected: .nchw, found: output.layout, because: "this op is nchw only") { return m }
        }
        if let residual {
            return mismatch("residual layout", expected: output.layout, found: residual.layout, because: "a residual has the output's layout")
        }
        return nil
    }

    /// Whether a conv with an nchw output may read a blocked input: the blocked kernels compute
    /// it (one group, output channels in whole blocks) into a step buffer that a reorder then
    /// finishes into the nchw output, so the output must not overwrite the input.
    public static func convMayUnblock(_ step: Step) -> Bool {
        guard case .conv2d(let p) = step.op, p.groups == 1, step.output.shape.count == 4,
              step.output.shape[1] % 16 == 0 else { return false }
        return !PlanValidator.isPointwisePrefix(step)
    }

    /// Whether `step` is a depthwise conv the blocked kernels can run (`BlockedDepthwiseTiling`'s
    /// rule: groups = input channels = output channels, in whole blocks, no dilation).
    public static func isBlockedDepthwise(_ step: Step, _ p: Conv2DParams) -> Bool {
        guard let input = step.inputs.first, input.shape.count == 4, step.output.shape.count == 4 else { return false }
        return BlockedDepthwiseTiling.applies(groups: p.groups, inChannels: input.shape[1],
                                              outChannels: step.output.shape[1], dilation: p.dilation)
    }

    private static func isConv(_ step: Step) -> Bool {
        if case .conv2d = step.op { return true }
        return false
    }

    /// `nChw16c` on a shape that cannot be blocked, or nil.
    private static func blockable(_ tensor: TensorRef, _ role: String) -> String? {
        guard tensor.layout == .nChw16c, !canBlock(shape: tensor.shape) else { return nil }
        return "\(role) layout nChw16c needs [N, C, H, W] with C a multiple of 16 and H·W > 1, found \(tensor.shape.shapeDescription)"
    }

    /// "`what`: expected A, found B (why)" when the layouts differ, else nil.
    private static func mismatch(_ what: String, expected: TensorLayout, found: TensorLayout,
                                 because why: String) -> String? {
        expected == found ? nil : "\(what): expected \(expected.rawValue), found \(found.rawValue) (\(why))"
    }
}
