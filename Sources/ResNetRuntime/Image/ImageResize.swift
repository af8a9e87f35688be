// Resizing planar float images with the bilinear (triangle) filter and antialiasing, exactly
// as torchvision's `resize(tensor, antialias=True)` and PIL's BILINEAR: separable, height first.

/// Resizes channel planes (CHW floats). When shrinking, the triangle filter is stretched by
/// the scale factor so every input pixel contributes (antialiasing); when enlarging it is plain
/// bilinear interpolation with half-pixel centers (`align_corners=False`), edges clamped.
public enum ImageResize {
    /// `planes`: `channels × height × width` floats. Returns `channels × newHeight × newWidth`.
    public static func resize(_ planes: [Float], channels: Int, height: Int, width: Int,
                              newHeight: Int, newWidth: Int) -> [Float] {
        var data = planes, h = height
        if newHeight != height {
            data = resizeAxis(data, outer: channels, length: height, inner: width, newLength: newHeight)
            h = newHeight
        }
        if newWidth != width {
            data = resizeAxis(data, outer: channels * h, length: width, inner: 1, newLength: newWidth)
        }
        return data
    }

    /// The taps of one output position: the first input index and the normalized weights.
    struct Taps {
        var first: Int
        var weights: [Float]
    }

    /// Filter taps for resizing an axis of `length` samples to `newLength`, computed in Float
    /// in the same order as torchvision so the results agree to rounding.
    static func taps(length: Int, newLength: Int) -> [Taps] {
        let scale = Float(length) / Float(newLength)
        let support: Float = scale >= 1 ? scale : 1
        let inverse: Float = scale >= 1 ? 1 / scale : 1
        return (0..<newLength).map { i in
            let center = scale * (Float(i) + 0.5)
            let first = max(Int(center - support + 0.5), 0)
            let count = min(Int(center + support + 0.5), length) - first
            var weights = (0..<max(count, 0)).map { j in
                max(0, 1 - abs((Float(j + first) - center + 0.5) * inverse))
            }
            let total = weights.reduce(0, +)
            if total != 0 { weights = weights.map { $0 / total } }
            return Taps(first: first, weights: weights)
        }
    }

    /// Resizes the middle axis of an `outer × length × inner` array to `newLength`.
    private static func resizeAxis(_ data: [Float], outer: Int, length: Int, inner: Int, newLength: Int) -> [Float] {
        let table = taps(length: length, newLength: newLength)
        var out = [Float](repeating: 0, count: outer * newLength * inner)
        for o in 0..<outer {
            let source = o * length * inner, target = o * newLength * inner
            for (i, tap) in table.enumerated() {
                for k in 0..<inner {
                    var sum: Float = 0
                    for (j, weight) in tap.weights.enumerated() {
                        sum += data[source + (tap.first + j) * inner + k] * weight
                    }
                    out[target + i * inner + k] = sum
                }
            }
        }
        return out
    }
}
