// Reference 2-D convolution (PyTorch semantics) with the fused epilogue activation(conv + bias + residual).
import ResNetRuntime

/// Convolution via a per-output-position patch so the reduction runs over contiguous memory.
enum ReferenceConv {
    static func run(_ x: ReferenceValue, _ a: ConvAttributes, weight: [Double], bias: [Double]?,
                    residual: ReferenceValue?, shape: [Int]) -> ReferenceValue {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, oh, ow) = (shape[1], shape[2], shape[3])
        let groupIn = c / a.groups, groupOut = o / a.groups, k = a.kernel
        let patchLength = groupIn * k * k
        var patch = [Double](repeating: 0, count: patchLength)
        var out = [Double](repeating: 0, count: n * o * oh * ow)
        for b in 0..<n {
            for g in 0..<a.groups {
                for y in 0..<oh {
                    for xq in 0..<ow {
                        var index = 0
                        for ci in 0..<groupIn {
                            let plane = (b * c + g * groupIn + ci) * h * w
                            for ky in 0..<k {
                                let iy = y * a.stride - a.padding + ky * a.dilation
                                for kx in 0..<k {
                                    let ix = xq * a.stride - a.padding + kx * a.dilation
                                    let inside = iy >= 0 && iy < h && ix >= 0 && ix < w
                                    patch[index] = inside ? x.data[plane + iy * w + ix] : 0
                                    index += 1
                                }
                            }
                        }
                        for oc in 0..<groupOut {
                            let channel = g * groupOut + oc
                            var sum = 0.0
                            let base = channel * patchLength
                            for i in 0..<patchLength { sum += weight[base + i] * patch[i] }
                            out[((b * o + channel) * oh + y) * ow + xq] = sum + (bias?[channel] ?? 0)
                        }
                    }
                }
            }
        }
        return applyEpilogue(ReferenceValue(shape: shape, data: out), a.epilogue, residual: residual)
    }

    /// `activation(value + residual)`, mapping an option-A residual onto the output first.
    static func applyEpilogue(_ value: ReferenceValue, _ epilogue: Epilogue,
                              residual: ReferenceValue?) -> ReferenceValue {
        var out = value.data
        if let shortcut = residual, let kind = epilogue.residual {
            let mapped: ReferenceValue
            switch kind {
            case .identity: mapped = shortcut
            case .shortcutA(let stride): mapped = ReferenceOps.shortcutA(shortcut, stride: stride, shape: value.shape)
            }
            for i in out.indices { out[i] += mapped.data[i] }
        }
        let act = epilogue.activation
        for i in out.indices { out[i] = act.apply(out[i]) }
        return ReferenceValue(shape: value.shape, data: out)
    }
}
