// A 1×1 conv that writes its output over the start of its own (dying) input, as the memory
// planner places a bottleneck's reduction: the runtime accepts exactly that shape of overlap and
// computes the same numbers as with a separate output, on every kernel path and thread count.

import ResNetRuntime
import Testing

@Suite("Pointwise conv in place")
struct PointwiseInPlaceTests {
    /// (input channels, output channels, height = width): several channel blocks, a partial last
    /// pixel tile, an exact overlap (same size) and ResNet-50's layer4 reduction.
    @Test("output over the start of the input matches the reference",
          arguments: [(48, 20, 13), (64, 64, 7), (256, 64, 14), (2048, 512, 7)])
    func matchesReference(_ dims: (Int, Int, Int)) throws {
        let (cin, cout, size) = dims
        var random = SeededRandom(seed: UInt64(cin * 7 + cout))
        let params = Conv2DParams(kernel: 1, hasBias: true)
        let x = Tensor(shape: [1, cin, size, size], data: random.floats(cin * size * size))
        let weight = random.floats(cout * cin), bias = random.floats(cout)
        let expected = Reference.epilogue(Reference.conv2d(x, weight: weight, bias: bias, outChannels: cout, params),
                                          residual: nil, .relu)
        var b = PlanBuilder()
        let xRef = b.input("x", x.shape)
        let yRef = TensorRef(offset: xRef.offset, shape: [1, cout, size, size])
        let step = Step(name: "reduce", op: .conv2d(params), inputs: [xRef], output: yRef,
                        weights: [b.weight(weight), b.weight(bias)], epilogue: Epilogue(activation: .relu))
        #expect(PlanValidator.isPointwisePrefix(step))
        b.steps.append(step)
        b.output("y", yRef)
        let model = try b.model()
        for options in executableKernelPaths {
            let one = try Session(model: model, threads: 1, kernels: options).run([x])[0]
            expectClose(one.data, expected.data, "\(dims) \(options.label)")
            for threads in [2, 3] {
                let many = try Session(model: model, threads: threads, kernels: options).run([x])[0]
                #expect(many.data.map(\.bitPattern) == one.data.map(\.bitPattern), "\(dims) \(options.label) t\(threads)")
            }
        }
    }

    /// Any other overlap of a conv's input and output stays an invalid plan.
    @Test("other conv overlaps are rejected")
    func otherOverlapsRejected() throws {
        func plan(input: [Int], output: [Int], _ params: Conv2DParams, shift: Int = 0) throws -> Model {
            var b = PlanBuilder()
            let xRef = b.input("x", input)
            _ = b.tensor(output)   // room for an output that runs past the input
            let yRef = TensorRef(offset: xRef.offset + shift, shape: output)
            let weights = b.weight([Float](repeating: 0.5, count: output[1] * input[1] / params.groups * params.kernel * params.kernel))
            b.steps.append(Step(name: "conv", op: .conv2d(params), inputs: [xRef], output: yRef, weights: [weights]))
            b.output("y", yRef)
            return try b.model()
        }
        let error = RuntimeError.invalidPlan(step: "conv", reason: "input 0 overlaps the output in the arena")
        // 3×3: a pixel's output reads its neighbours' inputs.
        #expect(throws: error) { try plan(input: [1, 8, 6, 6], output: [1, 4, 6, 6], Conv2DParams(kernel: 3, padding: 1, hasBias: false)) }
        // Two images: image 1's output lands on image 0's later input channels.
        #expect(throws: error) { try plan(input: [2, 8, 6, 6], output: [2, 4, 6, 6], Conv2DParams(kernel: 1, hasBias: false)) }
        // An output larger than the input, or one starting inside it.
        #expect(throws: error) { try plan(input: [1, 4, 6, 6], output: [1, 8, 6, 6], Conv2DParams(kernel: 1, hasBias: false)) }
        #expect(throws: error) { try plan(input: [1, 8, 6, 6], output: [1, 4, 6, 6], Conv2DParams(kernel: 1, hasBias: false), shift: 16) }
        _ = try plan(input: [1, 8, 6, 6], output: [1, 4, 6, 6], Conv2DParams(kernel: 1, hasBias: false))
    }
}
