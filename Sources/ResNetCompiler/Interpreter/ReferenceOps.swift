// Per-op evaluation for the reference interpreter (dispatch plus the elementwise and small ops).
import ResNetRuntime

/// Evaluates one op on already-checked operands and parameters.
enum ReferenceOps {
    static func evaluate(_ op: Op, operands: [ReferenceValue], params: [String: [Double]],
                         shape: [Int]) -> ReferenceValue {
        let x = operands[0]
        switch op {
        case .input:
            return x
        case .conv(let a):
            return ReferenceConv.run(x, a, weight: params["weight"]!, bias: params["bias"],
                                     residual: operands.count > 1 ? operands[1] : nil, shape: shape)
        case .batchNorm(let eps):
            let w = params["weight"]!, b = params["bias"]!, m = params["running_mean"]!, v = params["running_var"]!
            return perChannel(x) { c, value in (value - m[c]) / (v[c] + eps).squareRoot() * w[c] + b[c] }
        case .scaleShift:
            let s = params["scale"]!, t = params["shift"]!
            return perChannel(x) { c, value in value * s[c] + t[c] }
        case .activation(let act):
            return ReferenceValue(shape: shape, data: x.data.map { act.apply($0) })
        case .maxPool(let p):
            return ReferencePooling.maxPool(x, p, shape: shape)
        case .avgPool(let p):
            return ReferencePooling.avgPool(x, p, shape: shape)
        case .globalAvgPool:
            return ReferencePooling.globalAvgPool(x, shape: shape)
        case .flatten, .dropout:
            return ReferenceValue(shape: shape, data: x.data)
        case .linear(let a):
            return linear(x, weight: params["weight"]!, bias: params["bias"], activation: a.activation, shape: shape)
        case .add:
            return ReferenceValue(shape: shape, data: zip(x.data, operands[1].data).map { $0 + $1 })
        case .softmax:
            return softmax(x)
        case .shortcutA(_, let stride):
            return shortcutA(x, stride: stride, shape: shape)
        }
    }

    /// Applies `f(channel, value)` to every element; channel is dim 1 of NCHW or NC.
    static func perChannel(_ x: ReferenceValue, _ f: (Int, Double) -> Double) -> ReferenceValue {
        let channels = x.shape[1]
        let inner = x.shape.dropFirst(2).reduce(1, *)
        var out = x.data
        for i in out.indices { out[i] = f((i / inner) % channels, out[i]) }
        return ReferenceValue(shape: x.shape, data: out)
    }

    /// `activation(x · Wᵀ + b)` with Double accumulation.
    static func linear(_ x: ReferenceValue, weight: [Double], bias: [Double]?, activation: Activation,
                       shape: [Int]) -> ReferenceValue {
        let n = x.shape[0], inF = x.shape[1], outF = shape[1]
        var out = [Double](repeating: 0, count: n * outF)
        for b in 0..<n {
            for o in 0..<outF {
                var sum = 0.0
                for i in 0..<inF { sum += x.data[b * inF + i] * weight[o * inF + i] }
                out[b * outF + o] = activation.apply(sum + (bias?[o] ?? 0))
            }
        }
        return ReferenceValue(shape: shape, data: out)
    }

    /// Numerically stable softmax over the last axis.
    static func softmax(_ x: ReferenceValue) -> ReferenceValue {
        let last = x.shape.last!
        var out = x.data
        var start = 0
        while start < out.count {
            let row = start..<(start + last)
            let peak = out[row].max() ?? 0
            var total = 0.0
            for i in row { out[i] = ReferenceMath.exp(out[i] - peak); total += out[i] }
            for i in row { out[i] /= total }
            start += last
        }
        return ReferenceValue(shape: x.shape, data: out)
    }

    /// Option-A shortcut: `y[n, p + c, h, w] = x[n, c, h·s, w·s]`, p = (Cout − Cin) / 2, zeros elsewhere.
    static func shortcutA(_ x: ReferenceValue, stride: Int, shape: [Int]) -> ReferenceValue {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (outC, oh, ow) = (shape[1], shape[2], shape[3])
        let pad = (outC - c) / 2
        var out = [Double](repeating: 0, count: n * outC * oh * ow)
        for b in 0..<n {
            for ch in 0..<c {
                for y in 0..<oh {
                    for xq in 0..<ow {
                        out[((b * outC + pad + ch) * oh + y) * ow + xq] =
                            x.data[((b * c + ch) * h + y * stride) * w + xq * stride]
                    }
                }
            }
        }
        return ReferenceValue(shape: shape, data: out)
    }
}
