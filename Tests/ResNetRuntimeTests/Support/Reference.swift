// Naive Double-precision reference implementations of every step, written directly from the
// PyTorch definitions (no shared code with the kernels).

import Foundation
import ResNetRuntime

/// A Double tensor for references.
struct RefTensor {
    var shape: [Int]
    var data: [Double]
}

enum Reference {
    /// PyTorch Conv2d with zero padding, stride, dilation and groups.
    static func conv2d(_ x: Tensor, weight: [Float], bias: [Float]?, outChannels o: Int,
                       _ p: Conv2DParams) -> RefTensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = (h + 2 * p.padding - p.dilation * (p.kernel - 1) - 1) / p.stride + 1
        let ow = (w + 2 * p.padding - p.dilation * (p.kernel - 1) - 1) / p.stride + 1
        let cg = c / p.groups, og = o / p.groups
        var out = [Double](repeating: 0, count: n * o * oh * ow)
        for b in 0..<n { for oc in 0..<o { for y in 0..<oh { for xx in 0..<ow {
            var sum = bias.map { Double($0[oc]) } ?? 0
            let g = oc / og
            for ic in 0..<cg { for kh in 0..<p.kernel { for kw in 0..<p.kernel {
                let iy = y * p.stride - p.padding + kh * p.dilation
                let ix = xx * p.stride - p.padding + kw * p.dilation
                guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                let xv = x.data[((b * c + g * cg + ic) * h + iy) * w + ix]
                let wv = weight[((oc * cg + ic) * p.kernel + kh) * p.kernel + kw]
                sum += Double(xv) * Double(wv)
            } } }
            out[((b * o + oc) * oh + y) * ow + xx] = sum
        } } } }
        return RefTensor(shape: [n, o, oh, ow], data: out)
    }

    /// PyTorch's pooling output size.
    static func poolExtent(_ size: Int, _ p: PoolParams) -> Int {
        let numerator = size + 2 * p.padding - p.kernel
        var out = (p.ceilMode ? (numerator + p.stride - 1) / p.stride : numerator / p.stride) + 1
        if p.ceilMode && (out - 1) * p.stride >= size + p.padding { out -= 1 }
        return out
    }

    /// MaxPool2d (true = max) or AvgPool2d (false), as PyTorch defines them.
    static func pool(_ x: Tensor, _ p: PoolParams, max isMax: Bool) -> RefTensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = poolExtent(h, p), ow = poolExtent(w, p)
        var out: [Double] = []
        for plane in 0..<(n * c) { for y in 0..<oh { for xx in 0..<ow {
            let hs = y * p.stride - p.padding, ws = xx * p.stride - p.padding
            let he = min(hs + p.kernel, h + p.padding), we = min(ws + p.kernel, w + p.padding)
            let poolSize = (he - hs) * (we - ws)
            var best = -Double.infinity, sum = 0.0, inside = 0
            for iy in max(hs, 0)..<max(max(hs, 0), min(he, h)) {
                for ix in max(ws, 0)..<max(max(ws, 0), min(we, w)) {
                    let v = Double(x.data[(plane * h + iy) * w + ix])
                    best = Swift.max(best, v); sum += v; inside += 1
                }
            }
            if isMax { out.append(best) } else { out.append(sum / Double(p.countIncludePad ? poolSize : inside)) }
        } } }
        return RefTensor(shape: [n, c, oh, ow], data: out)
    }

    static func globalAvgPool(_ x: Tensor) -> RefTensor {
        let planeSize = x.shape[2] * x.shape[3]
        let data = (0..<(x.shape[0] * x.shape[1])).map { plane in
            x.data[plane * planeSize..<(plane + 1) * planeSize].reduce(0.0) { $0 + Double($1) } / Double(planeSize)
        }
        return RefTensor(shape: [x.shape[0], x.shape[1], 1, 1], data: data)
    }

    static func linear(_ x: Tensor, weight: [Float], bias: [Float]?, outFeatures o: Int) -> RefTensor {
        let (n, i) = (x.shape[0], x.shape[1])
        var out: [Double] = []
        for b in 0..<n { for oc in 0..<o {
            var sum = bias.map { Double($0[oc]) } ?? 0
            for k in 0..<i { sum += Double(x.data[b * i + k]) * Double(weight[oc * i + k]) }
            out.append(sum)
        } }
        return RefTensor(shape: [n, o], data: out)
    }

    static func softmax(_ x: Tensor) -> RefTensor {
        let length = x.shape.last!
        var out: [Double] = []
        for row in 0..<(x.count / length) {
            let values = x.data[row * length..<(row + 1) * length].map(Double.init)
            let m = values.max()!
            let e = values.map { exp($0 - m) }
            let s = e.reduce(0, +)
            out += e.map { $0 / s }
        }
        return RefTensor(shape: x.shape, data: out)
    }

    /// `F.pad(x[:, :, ::s, ::s], (0, 0, 0, 0, p, q))` with p = (O − C) / 2.
    static func shortcutA(_ x: RefTensor, outChannels o: Int, stride s: Int) -> RefTensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = (h + s - 1) / s, ow = (w + s - 1) / s
        let pad = (o - c) / 2
        var out = [Double](repeating: 0, count: n * o * oh * ow)
        for b in 0..<n { for ch in 0..<c { for y in 0..<oh { for xx in 0..<ow {
            out[((b * o + pad + ch) * oh + y) * ow + xx] = x.data[((b * c + ch) * h + y * s) * w + xx * s]
        } } } }
        return RefTensor(shape: [n, o, oh, ow], data: out)
    }

    /// `activation(value + residual)`; the residual already mapped to the value's shape.
    static func epilogue(_ value: RefTensor, residual: RefTensor?, _ activation: Activation) -> RefTensor {
        var out = value
        for i in out.data.indices {
            out.data[i] = activation.apply(value.data[i] + (residual?.data[i] ?? 0))
        }
        return out
    }
}

/// A Float tensor as a Double reference tensor.
func ref(_ t: Tensor) -> RefTensor { RefTensor(shape: t.shape, data: t.data.map(Double.init)) }
