// trim-padded-taps: a conv whose outer kernel taps only ever fall on its zero padding becomes a
// conv with the smaller kernel that reads the same pixels. A 3×3 conv with padding 1 on a 1×1
// map multiplies only by its centre tap (ResBlock6's last block: 2048 × 2048 × 9 weights, of
// which a ninth ever meet a pixel), so it becomes a 1×1 conv, and the weights it never used
// leave the plan and the memory traffic of every run. The result is unchanged: the dropped
// taps only ever added products with zeros.

import ResNetRuntime

/// Shrinks each conv's kernel to the taps that read at least one real pixel.
public let trimPaddedTapsPass = Pass(
    name: "trim-padded-taps",
    summary: "shrink conv kernels whose outer taps only read padding (a 3x3 conv on a 1x1 map becomes 1x1)"
) { graph in
    var rebuilder = GraphRebuilder(graph)
    var rewrites = 0
    for node in graph.nodes {
        guard case .conv(var a) = node.op, let input = node.inputs.first, let weight = node.params["weight"],
              let window = TrimPaddedTaps.usedTaps(a, input: graph.nodes[input].shape, output: node.shape)
        else {
            rebuilder.copy(node.id)
            continue
        }
        a.kernel = window.count
        a.padding -= window.lowerBound
        var params = node.params
        params["weight"] = TrimPaddedTaps.slice(weight, taps: window)
        rebuilder.emit(replacing: node.id, op: .conv(a), inputs: node.inputs, params: params)
        rewrites += 1
    }
    return PassResult(graph: rebuilder.finish(), rewrites: rewrites)
}

enum TrimPaddedTaps {
    /// The kernel rows and columns (one range for both) that read a real pixel of `input` for
    /// some output pixel, when they are fewer than the kernel's and the smaller conv (the range's
    /// taps, padding reduced by its start) has the same output size; else nil. Dilated convs stay.
    static func usedTaps(_ a: ConvAttributes, input: [Int], output: [Int]) -> Range<Int>? {
        guard a.dilation == 1, a.kernel > 1, input.count == 4, output.count == 4 else { return nil }
        var first = a.kernel, last = -1
        for (size, outSize) in [(input[2], output[2]), (input[3], output[3])] {
            // Tap k reads row y·stride − padding + k for output rows y in 0..<outSize.
            for k in 0..<a.kernel {
                let lowest = -a.padding + k, highest = (outSize - 1) * a.stride - a.padding + k
                if highest >= 0 && lowest < size && readsPixel(from: lowest, to: highest, stride: a.stride, size: size) {
                    first = min(first, k)
                    last = max(last, k)
                }
            }
        }
        guard last >= first, last - first + 1 < a.kernel else { return nil }
        let kernel = last - first + 1, padding = a.padding - first
        guard padding >= 0 else { return nil }
        // Same output size with the smaller kernel (PyTorch pads both sides alike).
        for (size, outSize) in [(input[2], output[2]), (input[3], output[3])] {
            guard (size + 2 * padding - kernel) >= 0, (size + 2 * padding - kernel) / a.stride + 1 == outSize else {
                return nil
            }
        }
        return first..<last + 1
    }

    /// Whether some row `lowest + y·stride` (up to `highest`) lies in `0..<size`.
    private static func readsPixel(from lowest: Int, to highest: Int, stride: Int, size: Int) -> Bool {
        var row = lowest
        while row <= highest {
            if row >= 0 && row < size { return true }
            if row >= size { return false }
            row += stride
        }
        return false
    }

    /// `[O, I, K, K]` weights cut to rows and columns `taps` of each kernel.
    static func slice(_ w: Tensor, taps: Range<Int>) -> Tensor {
        let (o, i, k) = (w.shape[0], w.shape[1], w.shape[2])
        let n = taps.count
        var data = [Float](repeating: 0, count: o * i * n * n)
        for plane in 0..<o * i {
            for (row, kh) in taps.enumerated() {
                for (column, kw) in taps.enumerated() {
                    data[(plane * n + row) * n + column] = w.data[(plane * k + kh) * k + kw]
                }
            }
        }
        return Tensor(shape: [o, i, n, n], data: data)
    }
}
