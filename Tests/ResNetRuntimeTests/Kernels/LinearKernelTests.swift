// Linear layer vs the Double reference, with and without bias, including lengths that are not a
// multiple of the eight-lane dot product.

import ResNetRuntime
import Testing

@Suite("Linear kernel")
struct LinearKernelTests {
    @Test("matches the reference", arguments: [(1, 1, 1), (1, 7, 3), (2, 8, 5), (2, 17, 10), (3, 64, 9), (1, 2048, 10)],
          [true, false])
    func matchesReference(_ dims: (Int, Int, Int), bias hasBias: Bool) throws {
        let (n, i, o) = dims
        var random = SeededRandom(seed: UInt64(n * 31 + i * 7 + o))
        let x = Tensor(shape: [n, i], data: random.floats(n * i))
        let weight = random.floats(o * i)
        let bias = hasBias ? random.floats(o) : nil
        let expected = Reference.linear(x, weight: weight, bias: bias, outFeatures: o)
        let actual = try runSingleStep(.linear(hasBias: hasBias), inputs: [x], outputShape: [n, o],
                                       weights: [weight] + (bias.map { [$0] } ?? []))
        expectClose(actual.data, expected.data, "linear \(dims)")
    }

    @Test("fused activation epilogue")
    func fusedActivation() throws {
        let x = Tensor(shape: [1, 2], data: [1, -2])
        let y = try runSingleStep(.linear(hasBias: true), inputs: [x], outputShape: [1, 3],
                                  weights: [[1, 0, 0, 1, 1, 1], [0, 0, 0.5]],
                                  epilogue: Epilogue(activation: .relu))
        #expect(y.data == [1, 0, 0])
    }
}
