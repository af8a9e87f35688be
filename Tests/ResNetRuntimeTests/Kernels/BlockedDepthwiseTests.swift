// Depthwise convs over nChw16c (groups = channels, one multiply-add of whole blocks per tap)
// against the reference: channels 16, 32 and 64, kernels 1, 3 and 5, stride 1 and 2, padding 0
// to 2, maps 7, 8 and 15, batch 1 and 3, with and without bias, an identity residual, ReLU and
// SiLU, on every instruction set the machine runs, bitwise the same for 1 and 3 threads.

import ResNetRuntime
import Testing

@Suite("Blocked depthwise convs")
struct BlockedDepthwiseTests {
    /// (channels, kernel, stride, padding, size, batch, bias, residual, activation).
    static let cases: [(Int, Int, Int, Int, Int, Int, Bool, Bool, Activation)] = [
        (16, 3, 1, 1, 8, 1, true, false, .relu), (32, 3, 2, 1, 15, 3, false, false, .silu),
        (64, 5, 1, 2, 7, 1, true, true, .relu), (16, 1, 1, 0, 7, 3, true, false, .identity),
        (32, 3, 1, 0, 15, 1, false, true, .silu), (48, 5, 2, 2, 8, 2, true, false, .relu),
    ]

    @Test(arguments: cases.indices)
    func matchesTheReference(_ index: Int) throws {
        let (c, k, s, p, size, batch, hasBias, hasResidual, activation) = Self.cases[index]
        var random = SeededRandom(seed: UInt64(100 + index))
        let params = Conv2DParams(kernel: k, stride: s, padding: p, groups: c, hasBias: hasBias)
        let x = Tensor(shape: [batch, c, size, size], data: random.floats(batch * c * size * size))
        let weight = random.floats(c * k * k), bias = hasBias ? random.floats(c) : nil
        let out = (size + 2 * p - k) / s + 1
        let shape = [batch, c, out, out]
        let residual = hasResidual ? Tensor(shape: shape, data: random.floats(shape.reduce(1, *))) : nil
        let expected = Reference.epilogue(Reference.conv2d(x, weight: weight, bias: bias, outChannels: c, params),
                                          residual: residual.map(ref), activation)
        for isa in KernelISA.available {
            var results: [[Float]] = []
            for threads in [1, 3] {
                var b = PlanBuilder()
                let xIn = b.input("x", x.shape)
                let xb = b.step("to_blocked", .copy, inputs: [xIn], shape: x.shape, layout: .nChw16c)
                var inputs = [xb]
                if let residual {
                    let rIn = b.input("r", residual.shape)
                    inputs.append(b.step("r_blocked", .copy, inputs: [rIn], shape: shape, layout: .nChw16c))
                }
                var weights = [b.weight(weight)]
                if let bias { weights.append(b.weight(bias)) }
                let y = b.step("dw", .conv2d(params), inputs: inputs, shape: shape, weights: weights,
                               epilogue: Epilogue(residual: hasResidual ? .identity : nil, activation: activation),
                               layout: .nChw16c)
                b.output("y", b.step("to_nchw", .copy, inputs: [y], shape: shape))
                let session = try Session(model: b.model(), threads: threads, kernels: KernelOptions(isa: isa),
                                          profiling: .steps)
                let result = try session.run(residual.map { [x, $0] } ?? [x])[0]
                #expect(session.profile.first { $0.name == "dw" }?.kernel == "depthwise-16c", "\(isa.rawValue)")
                expectClose(result.data, expected.data, "\(isa.rawValue) case \(index)")
                results.append(result.data)
            }
            #expect(results[0] == results[1], "\(isa.rawValue) case \(index): 1 and 3 threads differ")
        }
    }

    @Test("a dilated depthwise conv is not one the blocked kernel runs")
    func dilated() {
        let x = TensorRef(offset: 0, shape: [1, 32, 9, 9], layout: .nChw16c)
        var step = Step(name: "dw", op: .conv2d(Conv2DParams(kernel: 3, padding: 2, dilation: 2, groups: 32, hasBias: false)),
                        inputs: [x], output: TensorRef(offset: 4096, shape: [1, 32, 9, 9], layout: .nChw16c),
                        weights: [], epilogue: Epilogue())
        guard case .conv2d(let p) = step.op else { return }
        #expect(!LayoutRules.isBlockedDepthwise(step, p))
        #expect(LayoutRules.violation(in: step) != nil)
        step.op = .conv2d(Conv2DParams(kernel: 3, padding: 1, groups: 32, hasBias: false))
        guard case .conv2d(let q) = step.op else { return }
        #expect(LayoutRules.isBlockedDepthwise(step, q) && LayoutRules.violation(in: step) == nil)
    }
}
