// Fused epilogues: activation(value + residual) with identity and option-A residuals, for every
// activation, on conv, pooling and elementwise steps.

import ResNetRuntime
import Testing

@Suite("Epilogues")
struct EpilogueTests {
    private let conv = Conv2DParams(kernel: 3, stride: 2, padding: 1, hasBias: true)

    private func convSetup(outChannels: Int) -> (Tensor, [Float], [Float], RefTensor) {
        var random = SeededRandom(seed: 77)
        let x = Tensor(shape: [2, 4, 7, 7], data: random.floats(2 * 4 * 49))
        let weight = random.floats(outChannels * 4 * 9), bias = random.floats(outChannels)
        let value = Reference.conv2d(x, weight: weight, bias: bias, outChannels: outChannels, conv)
        return (x, weight, bias, value)
    }

    @Test("conv + identity residual + activation", arguments: allActivations)
    func identityResidual(_ activation: Activation) throws {
        let (x, weight, bias, value) = convSetup(outChannels: 6)
        var random = SeededRandom(seed: 9)
        let residual = Tensor(shape: value.shape, data: random.floats(value.data.count))
        let expected = Reference.epilogue(value, residual: ref(residual), activation)
        let y = try runSingleStep(.conv2d(conv), inputs: [x, residual], outputShape: value.shape,
                                  weights: [weight, bias],
                                  epilogue: Epilogue(residual: .identity, activation: activation))
        expectClose(y.data, expected.data, "identity \(activation.description)")
    }

    @Test("conv + option-A residual + activation", arguments: allActivations)
    func shortcutAResidual(_ activation: Activation) throws {
        let (x, weight, bias, value) = convSetup(outChannels: 8)  // output 2x8x4x4
        var random = SeededRandom(seed: 10)
        let shortcut = Tensor(shape: [2, 3, 7, 7], data: random.floats(2 * 3 * 49))
        let mapped = Reference.shortcutA(ref(shortcut), outChannels: 8, stride: 2)
        let expected = Reference.epilogue(value, residual: mapped, activation)
        let y = try runSingleStep(.conv2d(conv), inputs: [x, shortcut], outputShape: value.shape,
                                  weights: [weight, bias],
                                  epilogue: Epilogue(residual: .shortcutA(stride: 2), activation: activation))
        expectClose(y.data, expected.data, "option A \(activation.description)")
    }

    @Test("residuals on pooling and elementwise steps")
    func otherOps() throws {
        var random = SeededRandom(seed: 12)
        let x = Tensor(shape: [1, 2, 4, 4], data: random.floats(32))
        let r = Tensor(shape: [1, 2, 2, 2], data: random.floats(8))
        let pool = PoolParams(kernel: 2, stride: 2)
        let pooled = Reference.pool(x, pool, max: true)
        let y = try runSingleStep(.maxPool(pool), inputs: [x, r], outputShape: [1, 2, 2, 2],
                                  epilogue: Epilogue(residual: .identity, activation: .relu6))
        expectClose(y.data, Reference.epilogue(pooled, residual: ref(r), .relu6).data, "maxPool")

        let s = Tensor(shape: [1, 1, 4, 4], data: random.floats(16))
        let z = try runSingleStep(.activation, inputs: [r, s], outputShape: r.shape,
                                  epilogue: Epilogue(residual: .shortcutA(stride: 2), activation: .identity))
        let mapped = Reference.shortcutA(ref(s), outChannels: 2, stride: 2)
        expectClose(z.data, Reference.epilogue(ref(r), residual: mapped, .identity).data, "activation + option A")
    }
}
