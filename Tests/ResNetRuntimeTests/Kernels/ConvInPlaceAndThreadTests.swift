// The tile epilogue's in-place guarantee (conv output buffer == identity residual buffer) and
// bitwise-identical conv/linear results for 1, 2, 3 and 7 threads on every kernel path.

import ResNetRuntime
import Testing

@Suite("Conv in place and threads")
struct ConvInPlaceAndThreadTests {
    /// conv(x) + r → relu, written over r itself: the plan's step output *is* its residual input.
    @Test("output buffer == residual buffer matches the reference", arguments: [(1, 16, 14, 3), (3, 13, 7, 1), (1, 64, 15, 3)])
    func inPlaceResidual(_ dims: (Int, Int, Int, Int)) throws {
        let (n, c, size, kernel) = dims
        var random = SeededRandom(seed: UInt64(n * 100 + c))
        let params = Conv2DParams(kernel: kernel, padding: kernel / 2, hasBias: true)
        let x = Tensor(shape: [n, c, size, size], data: random.floats(n * c * size * size))
        let r = Tensor(shape: [n, c, size, size], data: random.floats(n * c * size * size))
        let weight = random.floats(c * c * kernel * kernel), bias = random.floats(c)
        let conv = Reference.conv2d(x, weight: weight, bias: bias, outChannels: c, params)
        let expected = Reference.epilogue(conv, residual: ref(r), .relu)
        for options in executableKernelPaths {
            for threads in [1, 2] {
                var b = PlanBuilder()
                let xRef = b.input("x", x.shape), rRef = b.input("r", r.shape)
                b.steps.append(Step(name: "conv", op: .conv2d(params), inputs: [xRef, rRef], output: rRef,
                                    weights: [b.weight(weight), b.weight(bias)],
                                    epilogue: Epilogue(residual: .identity, activation: .relu)))
                b.output("y", rRef)
                let y = try Session(model: b.model(), threads: threads, kernels: options).run([x, r])[0]
                expectClose(y.data, expected.data, "in place \(dims) \(options.label) t\(threads)")
            }
        }
    }

    @Test("conv and linear are bitwise identical for 1, 2, 3 and 7 threads on every path")
    func threadDeterminism() throws {
        var random = SeededRandom(seed: 99)
        var b = PlanBuilder()
        let x = b.input("x", [2, 24, 17, 17])
        let c1 = b.step("c1", .conv2d(Conv2DParams(kernel: 3, padding: 1, hasBias: true)), inputs: [x],
                        shape: [2, 40, 17, 17], weights: [b.weight(random.floats(40 * 24 * 9)), b.weight(random.floats(40))],
                        epilogue: Epilogue(activation: .relu))
        let c2 = b.step("c2", .conv2d(Conv2DParams(kernel: 1, hasBias: false)), inputs: [c1, c1],
                        shape: [2, 40, 17, 17], weights: [b.weight(random.floats(40 * 40))],
                        epilogue: Epilogue(residual: .identity, activation: .silu))
        let c3 = b.step("c3", .conv2d(Conv2DParams(kernel: 3, stride: 2, padding: 1, groups: 40, hasBias: true)),
                        inputs: [c2], shape: [2, 40, 9, 9],
                        weights: [b.weight(random.floats(40 * 9)), b.weight(random.floats(40))])
        let flat = b.step("flat", .copy, inputs: [c3], shape: [2, 40 * 81])
        b.output("logits", b.step("fc", .linear(hasBias: true), inputs: [flat], shape: [2, 1000],
                                  weights: [b.weight(random.floats(1000 * 3240)), b.weight(random.floats(1000))]))
        let model = try b.model()
        let input = Tensor(shape: [2, 24, 17, 17], data: random.floats(2 * 24 * 289))
        for options in executableKernelPaths {
            let one = try Session(model: model, threads: 1, kernels: options).run([input])[0].data.map(\.bitPattern)
            for threads in [2, 3, 7] {
                let many = try Session(model: model, threads: threads, kernels: options).run([input])[0]
                #expect(many.data.map(\.bitPattern) == one, "\(options.label) threads \(threads)")
            }
        }
    }

    @Test("linear with 1000 outputs matches the reference on every ISA", arguments: [1, 3])
    func wideLinear(batch: Int) throws {
        var random = SeededRandom(seed: UInt64(batch))
        let x = Tensor(shape: [batch, 2048], data: random.floats(batch * 2048))
        let weight = random.floats(1000 * 2048), bias = random.floats(1000)
        let expected = Reference.linear(x, weight: weight, bias: bias, outFeatures: 1000)
        for isa in KernelISA.available {
            let y = try runStep(.linear(hasBias: true), inputs: [x], outputShape: [batch, 1000], weights: [weight, bias],
                                options: KernelOptions(isa: isa))
            expectClose(y.data, expected.data, "linear \(batch)x2048→1000 \(isa)")
        }
    }
}
