// Reference max / average / global average pooling with PyTorch's padding and ceil_mode rules.
import ResNetRuntime

/// Pooling loops for the reference interpreter.
enum ReferencePooling {
    /// MaxPool2d: padding counts as −∞.
    static func maxPool(_ x: ReferenceValue, _ p: PoolParams, shape: [Int]) -> ReferenceValue {
        window(x, p, shape: shape) { values, _ in values.max() ?? -Double.infinity }
    }

    /// AvgPool2d: divisor is the window clipped to input+padding (count_include_pad) or to the input.
    static func avgPool(_ x: ReferenceValue, _ p: PoolParams, shape: [Int]) -> ReferenceValue {
        window(x, p, shape: shape) { values, paddedSize in
            values.reduce(0, +) / Double(p.countIncludePad ? paddedSize : values.count)
        }
    }

    /// Mean over H and W.
    static func globalAvgPool(_ x: ReferenceValue, shape: [Int]) -> ReferenceValue {
        let plane = x.shape[2] * x.shape[3]
        let planes = x.shape[0] * x.shape[1]
        let data = (0..<planes).map { i in x.data[(i * plane)..<((i + 1) * plane)].reduce(0, +) / Double(plane) }
        return ReferenceValue(shape: shape, data: data)
    }

    /// Calls `reduce(values inside the input, window size clipped to input + padding)` per output.
    private static func window(_ x: ReferenceValue, _ p: PoolParams, shape: [Int],
                               reduce: ([Double], Int) -> Double) -> ReferenceValue {
        let (h, w) = (x.shape[2], x.shape[3])
        let (oh, ow) = (shape[2], shape[3])
        let planes = x.shape[0] * x.shape[1]
        var out = [Double](repeating: 0, count: planes * oh * ow)
        for plane in 0..<planes {
            for y in 0..<oh {
                let y0 = y * p.stride - p.padding, y1 = min(y0 + p.kernel, h + p.padding)
                for xq in 0..<ow {
                    let x0 = xq * p.stride - p.padding, x1 = min(x0 + p.kernel, w + p.padding)
                    var values: [Double] = []
                    for iy in max(y0, 0)..<max(min(y1, h), max(y0, 0)) {
                        for ix in max(x0, 0)..<max(min(x1, w), max(x0, 0)) {
                            values.append(x.data[(plane * h + iy) * w + ix])
                        }
                    }
                    out[(plane * oh + y) * ow + xq] = reduce(values, (y1 - y0) * (x1 - x0))
                }
            }
        }
        return ReferenceValue(shape: shape, data: out)
    }
}
