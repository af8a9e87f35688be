// 1×1 convs on 1×1 maps (nchw) run as matrix-vector products on the linear kernel: against the
// reference with and without bias, with an identity residual and activations, batch 1 and 3,
// on every instruction set the machine runs, bitwise the same for 1 and 3 threads; a forced
// algorithm or a map wider than one pixel keeps the GEMM paths.

import ResNetRuntime
import Testing

@Suite("Matrix-vector convs")
struct MatrixVectorConvTests {
    /// (in channels, out channels, batch, bias, residual, activation).
    static let cases: [(Int, Int, Int, Bool, Bool, Activation)] = [
        (64, 37, 1, true, false, .relu), (13, 5, 3, false, false, .identity),
        (256, 256, 1, true, true, .relu), (100, 1000, 2, true, false, .silu), (17, 64, 3, false, true, .identity),
    ]

    /// The conv's output for `x` (shape `[N, C, size, size]`), the kernel label it ran, per ISA and thread count.
    static func run(_ x: Tensor, outChannels: Int, weight: [Float], bias: [Float]?, residual: Tensor?,
                    activation: Activation, options: KernelOptions, threads: Int) throws -> (Tensor, String?) {
        let params = Conv2DParams(kernel: 1, hasBias: bias != nil)
        let shape = [x.shape[0], outChannels, x.shape[2], x.shape[3]]
        var b = PlanBuilder()
        var inputs = [b.input("x", x.shape)]
        if let residual { inputs.append(b.input("r", residual.shape)) }
        var weights = [b.weight(weight)]
        if let bias { weights.append(b.weight(bias)) }
        b.output("y", b.step("head", .conv2d(params), inputs: inputs, shape: shape, weights: weights,
                             epilogue: Epilogue(residual: residual == nil ? nil : .identity, activation: activation)))
        let session = try Session(model: b.model(), threads: threads, kernels: options, profiling: .steps)
        let result = try session.run(residual.map { [x, $0] } ?? [x])[0]
        return (result, session.profile.first { $0.name == "head" }?.kernel)
    }

    @Test(arguments: cases.indices)
    func matchesTheReference(_ index: Int) throws {
        let (c, o, batch, hasBias, hasResidual, activation) = Self.cases[index]
        var random = SeededRandom(seed: UInt64(300 + index))
        let x = Tensor(shape: [batch, c, 1, 1], data: random.floats(batch * c))
        let weight = random.floats(o * c), bias = hasBias ? random.floats(o) : nil
        let residual = hasResidual ? Tensor(shape: [batch, o, 1, 1], data: random.floats(batch * o)) : nil
        let expected = Reference.epilogue(
            Reference.conv2d(x, weight: weight, bias: bias, outChannels: o, Conv2DParams(kernel: 1, hasBias: hasBias)),
            residual: residual.map(ref), activation)
        for isa in KernelISA.available {
            var results: [[Float]] = []
            for threads in [1, 3] {
                let (result, kernel) = try Self.run(x, outChannels: o, weight: weight, bias: bias, residual: residual,
                                                    activation: activation, options: KernelOptions(isa: isa),
                                                    threads: threads)
                #expect(kernel == "gemv", "\(isa.rawValue)")
                expectClose(result.data, expected.data, "\(isa.rawValue) case \(index)")
                results.append(result.data)
            }
            #expect(results[0] == results[1], "\(isa.rawValue) case \(index): 1 and 3 threads differ")
        }
    }

    @Test("a forced algorithm, or a map of more than one pixel, keeps the GEMM paths")
    func otherShapesKeepTheirPaths() throws {
        var random = SeededRandom(seed: 399)
        let weight = random.floats(24 * 16)
        let one = Tensor(shape: [1, 16, 1, 1], data: random.floats(16))
        let forced = try Self.run(one, outChannels: 24, weight: weight, bias: nil, residual: nil, activation: .relu,
                                  options: KernelOptions(convAlgorithm: .pointwise), threads: 1)
        #expect(forced.1 == "pointwise-gemm")
        let unforced = try Self.run(one, outChannels: 24, weight: weight, bias: nil, residual: nil, activation: .relu,
                                    options: KernelOptions(), threads: 1)
        #expect(unforced.1 == "gemv")
        expectClose(unforced.0.data, forced.0.data.map(Double.init), "gemv against the pointwise GEMM")
        let wide = Tensor(shape: [1, 16, 2, 2], data: random.floats(64))
        #expect(try Self.run(wide, outChannels: 24, weight: weight, bias: nil, residual: nil, activation: .relu,
                             options: KernelOptions(), threads: 1).1 == "pointwise-gemm")
    }
}
