// Per-op shape rules (PyTorch's output-size formulas) and weight sizes for one plan step.

extension StepChecker {
    /// Checks the op's input, output and weight shapes.
    func checkShapes() throws(RuntimeError) {
        guard let x = mainInputs.first?.shape else { throw fail("the op has no input") }
        let y = step.output.shape
        switch step.op {
        case .conv2d(let p):
            try checkConv(p, x, y)
        case .linear(let hasBias):
            guard x.count == 2, y.count == 2, x[0] == y[0] else {
                throw fail("linear maps [N, I] to [N, O]; found input \(x.shapeDescription), output \(y.shapeDescription)")
            }
            try requireWeight(0, "weight", count: product(y[1], x[1]))
            if hasBias { try requireWeight(1, "bias", count: y[1]) }
        case .scaleShift:
            try requireSameShape(x, y)
            guard y.count >= 2 else { throw fail("scaleShift needs a rank ≥ 2 tensor, found \(y.shapeDescription)") }
            try requireWeight(0, "scale", count: y[1])
            try requireWeight(1, "shift", count: y[1])
        case .activation, .softmax:
            try requireSameShape(x, y)
        case .add:
            for input in mainInputs { try requireSameShape(input.shape, y) }
        case .copy:
            guard step.inputs[0].count == step.output.count else {
                throw fail("copy of \(x.shapeDescription) into \(y.shapeDescription): element counts differ")
            }
        case .maxPool(let p), .avgPool(let p):
            try checkPool(p, x, y)
        case .globalAvgPool:
            guard x.count == 4 else { throw fail("global average pooling needs [N, C, H, W], found \(x.shapeDescription)") }
            try requireShape(y, [x[0], x[1], 1, 1], "output")
        case .shortcutA(let stride):
            try requireHyperParameter("stride", stride, minimum: 1)
            guard x.count == 4, y.count == 4, x[1] <= y[1] else {
                throw fail("option-A shortcut maps [N, C, H, W] to [N, O ≥ C, H', W']; found input \(x.shapeDescription), output \(y.shapeDescription)")
            }
            try requireShape(y, [x[0], y[1], ceilDiv(x[2], stride), ceilDiv(x[3], stride)], "output")
        }
    }

    private func checkConv(_ p: Conv2DParams, _ x: [Int], _ y: [Int]) throws(RuntimeError) {
        try requireHyperParameter("kernel", p.kernel, minimum: 1)
        try requireHyperParameter("stride", p.stride, minimum: 1)
        try requireHyperParameter("padding", p.padding, minimum: 0)
        try requireHyperParameter("dilation", p.dilation, minimum: 1)
        try requireHyperParameter("groups", p.groups, minimum: 1)
        guard x.count == 4, y.count == 4 else {
            throw fail("conv2d needs [N, C, H, W] tensors; found input \(x.shapeDescription), output \(y.shapeDescription)")
        }
        guard x[1] % p.groups == 0, y[1] % p.groups == 0 else {
            throw fail("groups \(p.groups) must divide input channels \(x[1]) and output channels \(y[1])")
        }
        let span = p.dilation * (p.kernel - 1) + 1
        guard x[2] + 2 * p.padding >= span, x[3] + 2 * p.padding >= span else {
            throw fail("conv2d kernel span \(span) exceeds padded input \(x.shapeDescription) (padding \(p.padding))")
        }
        let expected = [x[0], y[1], (x[2] + 2 * p.padding - span) / p.stride + 1,
                        (x[3] + 2 * p.padding - span) / p.stride + 1]
        try requireShape(y, expected, "output")
        let weightCount = product(y[1], x[1] / p.groups, p.kernel, p.kernel)
        try requireWeight(0, "weight", count: weightCount)
        if p.hasBias { try requireWeight(1, "bias", count: y[1]) }
    }

    private func checkPool(_ p: PoolParams, _ x: [Int], _ y: [Int]) throws(RuntimeError) {
        try requireHyperParameter("kernel", p.kernel, minimum: 1)
        try requireHyperParameter("stride", p.stride, minimum: 1)
        guard p.padding >= 0, p.padding <= p.kernel / 2 else {
            throw fail("padding \(p.padding) must be between 0 and half the kernel (\(p.kernel))")
        }
        guard x.count == 4 else { throw fail("pooling needs [N, C, H, W], found \(x.shapeDescription)") }
        guard x[2] + 2 * p.padding >= p.kernel, x[3] + 2 * p.padding >= p.kernel else {
            throw fail("pooling kernel \(p.kernel) exceeds padded input \(x.shapeDescription) (padding \(p.padding))")
        }
        let expected = [x[0], x[1], poolExtent(x[2], p), poolExtent(x[3], p)]
        try requireShape(y, expected, "output")
    }

    /// PyTorch's pooling output size, including the ceil-mode rule that the last window must
    /// start inside the input or its left padding.
    private func poolExtent(_ size: Int, _ p: PoolParams) -> Int {
        let span = size + 2 * p.padding - p.kernel
        var extent = (p.ceilMode ? ceilDiv(span, p.stride) : span / p.stride) + 1
        if p.ceilMode && (extent - 1) * p.stride >= size + p.padding { extent -= 1 }
        return extent
    }

    private func requireSameShape(_ x: [Int], _ y: [Int]) throws(RuntimeError) {
        guard x == y else {
            throw fail("input shape \(x.shapeDescription) differs from output shape \(y.shapeDescription)")
        }
    }

    private func requireShape(_ found: [Int], _ expected: [Int], _ role: String) throws(RuntimeError) {
        guard found == expected else {
            throw fail("\(role) shape: expected \(expected.shapeDescription), found \(found.shapeDescription)")
        }
    }

    private func requireWeight(_ index: Int, _ role: String, count: Int?) throws(RuntimeError) {
        guard let count, step.weights[index].count == count else {
            let expected = count.map(String.init) ?? "an overflowing number of"
            throw fail("\(role): expected \(expected) floats, found \(step.weights[index].count)")
        }
    }

    /// The product of `factors`, or nil on overflow.
    private func product(_ factors: Int...) -> Int? {
        var result = 1
        for factor in factors {
            let next = result.multipliedReportingOverflow(by: factor)
            if next.overflow { return nil }
            result = next.partialValue
        }
        return result
    }
}
