// NaN and ±Inf in an input propagate as IEEE arithmetic and PyTorch say, through both the fused
// (optimized) and the one-step-per-op (-O0) lowerings, and never crash; denormals are kept.
import Foundation
import ResNetCompiler
import ResNetRuntime
import Testing

@Suite("Numerics: NaN, Inf, denormals")
struct NumericsTests {
    private let nan = Float.nan, inf = Float.infinity

    @Test("a NaN pixel poisons exactly the conv outputs whose window covers it", arguments: NumericsHarness.pipelines.indices)
    func nanThroughConv(pipeline: Int) throws {
        // 3x3 conv, pad 1, all-ones weights: output (y, x) sums the input window around it.
        var pixels = [Float](repeating: 1, count: 25)
        pixels[2 * 5 + 3] = nan  // (y 2, x 3)
        let source = "input x: 1x1x5x5\noutput y = c: conv(x, 1, kernel: 3, pad: 1)"
        let weights = [("c.weight", Tensor(shape: [1, 1, 3, 3], data: .init(repeating: 1, count: 9))),
                       ("c.bias", Tensor(shape: [1], data: [0]))]
        let out = try NumericsHarness.run(source, weights: weights, input: Tensor(shape: [1, 1, 5, 5], data: pixels),
                                          passes: NumericsHarness.pipelines[pipeline].passes)
        for y in 0..<5 {
            for x in 0..<5 {
                let covered = abs(y - 2) <= 1 && abs(x - 3) <= 1
                #expect(out[y * 5 + x].isNaN == covered, "output (\(y), \(x)) = \(out[y * 5 + x])")
            }
        }
        // Zero weights do not stop NaN (0 · NaN = NaN), as in PyTorch.
        let zero = [("c.weight", Tensor(shape: [1, 1, 3, 3], data: .init(repeating: 0, count: 9))),
                    ("c.bias", Tensor(shape: [1], data: [0]))]
        let zeroOut = try NumericsHarness.run(source, weights: zero, input: Tensor(shape: [1, 1, 5, 5], data: pixels),
                                              passes: NumericsHarness.pipelines[pipeline].passes)
        #expect(zeroOut.filter(\.isNaN).count == 9)
    }

    @Test("activations of NaN and ±Inf match PyTorch", arguments: NumericsHarness.pipelines.indices)
    func activations(pipeline: Int) throws {
        let input: [Float] = [nan, -inf, inf, -2, 0, 3, 7, 1e30]
        // PyTorch: relu/relu6/leaky_relu keep NaN; sigmoid(±inf) = 1/0; silu(-inf) = -inf·0 = NaN.
        let cases: [(String, [Float])] = [
            ("relu", [nan, 0, inf, 0, 0, 3, 7, 1e30]),
            ("relu6", [nan, 0, 6, 0, 0, 3, 6, 6]),
            ("leaky_relu(slope: 0.5)", [nan, -inf, inf, -1, 0, 3, 7, 1e30]),
            ("sigmoid", [nan, 0, 1, 1 / (1 + expf(2)), 0.5, 1 / (1 + expf(-3)), 1 / (1 + expf(-7)), 1]),
            ("silu", [nan, nan, inf, -2 / (1 + expf(2)), 0, 3 / (1 + expf(-3)), 7 / (1 + expf(-7)), 1e30]),
        ]
        for (activation, expected) in cases {
            // A conv in front (identity weights) so the optimized pipeline fuses the activation
            // into the conv's tile epilogue; -O0 runs the standalone activation kernel.
            let source = "input x: 1x1x1x8\noutput y = c: conv(x, 1, kernel: 1) -> \(activation)"
            let weights = [("c.weight", Tensor(shape: [1, 1, 1, 1], data: [1])), ("c.bias", Tensor(shape: [1], data: [0]))]
            let out = try NumericsHarness.run(source, weights: weights, input: Tensor(shape: [1, 1, 1, 8], data: input),
                                              passes: NumericsHarness.pipelines[pipeline].passes)
            #expect(NumericsHarness.matches(out, expected), "\(activation): \(out) vs \(expected)")
        }
    }

    @Test("max pooling propagates NaN like PyTorch; average pooling, Inf − Inf = NaN", arguments: NumericsHarness.pipelines.indices)
    func pooling(pipeline: Int) throws {
        let input = Tensor(shape: [1, 1, 2, 6], data: [nan, 1, 2, 3, inf, -inf,
                                                       4, 5, 6, inf, 1, 1])
        let passes = NumericsHarness.pipelines[pipeline].passes
        let maxOut = try NumericsHarness.run("input x: 1x1x2x6\noutput y = maxpool(x, kernel: 2)", input: input, passes: passes)
        #expect(NumericsHarness.matches(maxOut, [nan, inf, inf]), "\(maxOut)")
        let avgOut = try NumericsHarness.run("input x: 1x1x2x6\noutput y = avgpool(x, kernel: 2)", input: input, passes: passes)
        #expect(NumericsHarness.matches(avgOut, [nan, inf, nan]), "\(avgOut)")
    }

    @Test("NaN reaches every logit through global pooling and linear; softmax of +Inf is NaN as in PyTorch")
    func classifierHead() throws {
        var pixels = [Float](repeating: 0.5, count: 2 * 4 * 4)
        pixels[5] = nan
        let source = """
            input x: 1x2x4x4
            x = global_avgpool(x)
            output y = fc: linear(flatten(x), 3)
            """
        for (_, passes) in NumericsHarness.pipelines {
            let out = try NumericsHarness.run(source, input: Tensor(shape: [1, 2, 4, 4], data: pixels), passes: passes)
            #expect(out.count == 3 && out.allSatisfy { $0.isNaN }, "\(out)")
            let soft = try NumericsHarness.run("input x: 1x3\noutput y = softmax(x)",
                                               input: Tensor(shape: [1, 3], data: [inf, 1, 2]), passes: passes)
            // max = inf; inf − inf = NaN; exp(NaN) = NaN poisons the sum: PyTorch gives [nan, nan, nan].
            #expect(soft.allSatisfy { $0.isNaN }, "\(soft)")
            let finite = try NumericsHarness.run("input x: 1x3\noutput y = softmax(x)",
                                                 input: Tensor(shape: [1, 3], data: [-inf, 0, 0]), passes: passes)
            #expect(finite == [0, 0.5, 0.5], "\(finite)")
        }
    }

    @Test("denormal inputs and weights are computed, not flushed to zero")
    func denormals() throws {
        let tiny = Float.leastNonzeroMagnitude  // 1.4e-45, a denormal
        let source = "input x: 1x1x1x4\noutput y = c: conv(x, 1, kernel: 1) -> relu"
        let weights = [("c.weight", Tensor(shape: [1, 1, 1, 1], data: [1])), ("c.bias", Tensor(shape: [1], data: [0]))]
        for (_, passes) in NumericsHarness.pipelines {
            let out = try NumericsHarness.run(source, weights: weights,
                                              input: Tensor(shape: [1, 1, 1, 4], data: [tiny, 1e-39, -1e-39, 1]), passes: passes)
            #expect(out == [tiny, 1e-39, 0, 1], "\(out)")
            // A denormal result of two normal numbers is produced too (gradual underflow).
            let half = [("c.weight", Tensor(shape: [1, 1, 1, 1], data: [1e-20])), ("c.bias", Tensor(shape: [1], data: [0]))]
            let under = try NumericsHarness.run(source, weights: half,
                                                input: Tensor(shape: [1, 1, 1, 4], data: [1e-20, 1e-19, 0, 0]), passes: passes)
            #expect(under[0] == Float(1e-20) * Float(1e-20) && under[0] > 0 && !under[0].isNormal, "\(under)")
        }
    }
}
