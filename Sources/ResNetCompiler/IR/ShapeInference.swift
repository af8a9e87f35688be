// Shape rules: the output shape of every op from its input shapes, and the shapes of
// its parameters. The elaborator, the verifier and the weight binder all use these.
import ResNetRuntime

/// A shape rule was broken; `message` says which, with expected and found shapes.
public struct ShapeError: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// Output size of a sliding window along one axis (PyTorch's formula).
public func windowOutputSize(input: Int, kernel: Int, stride: Int, padding: Int, dilation: Int = 1,
                             ceilMode: Bool = false) -> Int {
    let span = dilation * (kernel - 1) + 1
    let room = input + 2 * padding - span
    if room < 0 { return 0 }
    var out = (ceilMode ? (room + stride - 1) / stride : room / stride) + 1
    // PyTorch: the last window must start inside the input or the left padding.
    if ceilMode && (out - 1) * stride >= input + padding { out -= 1 }
    return out
}

extension Op {
    /// Shape of the value this op produces from inputs of the given shapes.
    public func outputShape(inputs shapes: [[Int]]) throws(ShapeError) -> [Int] {
        try expectArity(shapes.count)
        switch self {
        case .input:
            throw ShapeError("an input has no operands")
        case .conv(let a):
            let x = try image(shapes[0])
            guard a.kernel >= 1, a.stride >= 1, a.dilation >= 1, a.padding >= 0, a.groups >= 1,
                  a.outChannels >= 1 else {
                throw ShapeError("conv needs kernel, stride, dilation, groups, channels ≥ 1 and padding ≥ 0")
            }
            guard x[1] % a.groups == 0 else {
                throw ShapeError("conv input channels \(x[1]) are not divisible by groups \(a.groups)")
            }
            guard a.outChannels % a.groups == 0 else {
                throw ShapeError("conv output channels \(a.outChannels) are not divisible by groups \(a.groups)")
            }
            let oh = windowOutputSize(input: x[2], kernel: a.kernel, stride: a.stride, padding: a.padding,
                                      dilation: a.dilation)
            let ow = windowOutputSize(input: x[3], kernel: a.kernel, stride: a.stride, padding: a.padding,
                                      dilation: a.dilation)
            guard oh >= 1, ow >= 1 else {
                throw ShapeError("conv kernel \(a.kernel) (dilation \(a.dilation), padding \(a.padding)) "
                    + "does not fit input \(x.shapeDescription)")
            }
            let out = [x[0], a.outChannels, oh, ow]
            if a.epilogue.residual != nil {
                try checkResidual(a.epilogue.residual!, shortcut: shapes[1], output: out)
            }
            return out
        case .batchNorm, .scaleShift:
            guard shapes[0].count == 4 || shapes[0].count == 2 else {
                throw ShapeError("\(mnemonic) expects an NCHW or NC input, found \(shapes[0].shapeDescription)")
            }
            return shapes[0]
        case .activation, .dropout:
            return shapes[0]
        case .maxPool(let p), .avgPool(let p):
            let x = try image(shapes[0])
            guard p.kernel >= 1, p.stride >= 1, p.padding >= 0 else {
                throw ShapeError("\(mnemonic) needs kernel and stride ≥ 1 and padding ≥ 0")
            }
            guard p.padding * 2 <= p.kernel else {
                throw ShapeError("\(mnemonic) padding \(p.padding) must be at most half of kernel \(p.kernel)")
            }
            let oh = windowOutputSize(input: x[2], kernel: p.kernel, stride: p.stride, padding: p.padding,
                                      ceilMode: p.ceilMode)
            let ow = windowOutputSize(input: x[3], kernel: p.kernel, stride: p.stride, padding: p.padding,
                                      ceilMode: p.ceilMode)
            guard oh >= 1, ow >= 1 else {
                throw ShapeError("\(mnemonic) kernel \(p.kernel) does not fit input \(x.shapeDescription)")
            }
            return [x[0], x[1], oh, ow]
        case .globalAvgPool:
            let x = try image(shapes[0])
            return [x[0], x[1], 1, 1]
        case .flatten:
            guard shapes[0].count >= 2 else {
                throw ShapeError("flatten expects at least 2 dimensions, found \(shapes[0].shapeDescription)")
            }
            return [shapes[0][0], shapes[0].dropFirst().reduce(1, *)]
        case .linear(let a):
            guard shapes[0].count == 2 else {
                throw ShapeError("linear expects an NxC input (flatten first), found \(shapes[0].shapeDescription)")
            }
            guard a.outFeatures >= 1 else { throw ShapeError("linear needs at least 1 output feature") }
            return [shapes[0][0], a.outFeatures]
        case .add:
            guard shapes[0] == shapes[1] else {
                throw ShapeError("add operands differ in shape: \(shapes[0].shapeDescription) "
                    + "vs \(shapes[1].shapeDescription)")
            }
            return shapes[0]
        case .softmax:
            guard !shapes[0].isEmpty else { throw ShapeError("softmax needs at least 1 dimension") }
            return shapes[0]
        case .shortcutA(let outChannels, let stride):
            let x = try image(shapes[0])
            guard stride >= 1 else { throw ShapeError("shortcut_a needs stride ≥ 1") }
            guard outChannels >= x[1] else {
                throw ShapeError("shortcut_a cannot shrink channels from \(x[1]) to \(outChannels)")
            }
            return [x[0], outChannels, (x[2] + stride - 1) / stride, (x[3] + stride - 1) / stride]
        }
    }

    /// How many operands the op takes.
    public var arity: Int {
        switch self {
        case .input: return 0
        case .add: return 2
        case .conv(let a): return a.epilogue.residual == nil ? 1 : 2
        default: return 1
        }
    }

    /// Names and shapes of the parameters this op needs, given its input shapes.
    public func parameterShapes(inputs shapes: [[Int]]) -> [(name: String, shape: [Int])] {
        switch self {
        case .conv(let a):
            var p = [("weight", [a.outChannels, shapes[0][1] / a.groups, a.kernel, a.kernel])]
            if a.hasBias { p.append(("bias", [a.outChannels])) }
            return p
        case .batchNorm:
            let c = shapes[0][1]
            return [("weight", [c]), ("bias", [c]), ("running_mean", [c]), ("running_var", [c])]
        case .scaleShift:
            return [("scale", [shapes[0][1]]), ("shift", [shapes[0][1]])]
        case .linear(let a):
            var p = [("weight", [a.outFeatures, shapes[0][1]])]
            if a.hasBias { p.append(("bias", [a.outFeatures])) }
            return p
        default:
            return []
        }
    }

    private func expectArity(_ n: Int) throws(ShapeError) {
        guard n == arity else { throw ShapeError("\(mnemonic) takes \(arity) operand(s), found \(n)") }
    }

    private func image(_ s: [Int]) throws(ShapeError) -> [Int] {
        guard s.count == 4 else {
            throw ShapeError("\(mnemonic) expects an NCHW input, found \(s.shapeDescription)")
        }
        return s
    }

    private func checkResidual(_ r: Residual, shortcut: [Int], output: [Int]) throws(ShapeError) {
        let expected: [Int]
        switch r {
        case .identity: expected = shortcut
        case .shortcutA(let stride):
            expected = (try? Op.shortcutA(outChannels: output[1], stride: stride)
                .outputShape(inputs: [shortcut])) ?? shortcut
        }
        guard expected == output else {
            throw ShapeError("residual shape \(expected.shapeDescription) does not match output "
                + "\(output.shapeDescription)")
        }
    }
}
