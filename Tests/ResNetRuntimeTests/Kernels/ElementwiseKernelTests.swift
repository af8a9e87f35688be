// scaleShift, activation, add, copy, softmax and the stand-alone option-A shortcut vs references.

import ResNetRuntime
import Testing

let allActivations: [Activation] = [.identity, .relu, .leakyRelu(slope: 0.1), .relu6, .sigmoid, .silu]

@Suite("Elementwise kernels")
struct ElementwiseKernelTests {
    @Test("scaleShift is per channel", arguments: [[2, 3, 4, 5], [2, 3], [1, 4, 1, 1]])
    func scaleShift(shape: [Int]) throws {
        var random = SeededRandom(seed: 5)
        let count = shape.reduce(1, *)
        let x = Tensor(shape: shape, data: random.floats(count).map { $0 * 4 })
        let scale = random.floats(shape[1]), shift = random.floats(shape[1])
        let inner = shape.count > 2 ? shape[2...].reduce(1, *) : 1
        let expected = (0..<count).map { i -> Double in
            let c = (i / inner) % shape[1]
            return Double(x.data[i]) * Double(scale[c]) + Double(shift[c])
        }
        let y = try runSingleStep(.scaleShift, inputs: [x], outputShape: shape, weights: [scale, shift])
        expectClose(y.data, expected, "scaleShift \(shape)")
    }

    @Test("activation op applies the epilogue activation", arguments: allActivations)
    func activation(_ activation: Activation) throws {
        let values: [Float] = [-7, -1, -0.5, 0, 0.5, 1, 5.5, 7]
        let x = Tensor(shape: [1, 2, 2, 2], data: values)
        let y = try runSingleStep(.activation, inputs: [x], outputShape: x.shape,
                                  epilogue: Epilogue(activation: activation))
        expectClose(y.data, values.map { activation.apply(Double($0)) }, activation.description)
    }

    @Test("add sums and activates", arguments: [[3, 4], [2, 3, 5, 5]])
    func add(shape: [Int]) throws {
        var random = SeededRandom(seed: 11)
        let count = shape.reduce(1, *)
        let a = Tensor(shape: shape, data: random.floats(count))
        let b = Tensor(shape: shape, data: random.floats(count))
        let y = try runSingleStep(.add, inputs: [a, b], outputShape: shape, epilogue: Epilogue(activation: .relu))
        expectClose(y.data, zip(a.data, b.data).map { max(Double($0) + Double($1), 0) }, "add")
    }

    @Test("copy reproduces the input, also across a reshape")
    func copy() throws {
        let x = Tensor(shape: [2, 3, 1, 1], data: [1, 2, 3, 4, 5, 6])
        let y = try runSingleStep(.copy, inputs: [x], outputShape: [2, 3])
        #expect(y == Tensor(shape: [2, 3], data: x.data))
    }

    @Test("softmax over the last axis", arguments: [[1, 10], [2, 3, 7], [4, 1]])
    func softmax(shape: [Int]) throws {
        var random = SeededRandom(seed: 3)
        let x = Tensor(shape: shape, data: random.floats(shape.reduce(1, *)).map { $0 * 30 })
        let y = try runSingleStep(.softmax, inputs: [x], outputShape: shape)
        expectClose(y.data, Reference.softmax(x).data, "softmax \(shape)")
    }

    @Test("softmax stays finite for huge logits")
    func softmaxStable() throws {
        let x = Tensor(shape: [1, 3], data: [1000, 1000, -1000])
        let y = try runSingleStep(.softmax, inputs: [x], outputShape: [1, 3])
        #expect(y.data == [0.5, 0.5, 0])
    }

    @Test("option-A shortcut centres the channels", arguments: [(4, 8, 2, 6), (3, 8, 2, 5), (2, 2, 1, 4), (16, 32, 2, 7), (5, 6, 3, 8)])
    func shortcutA(_ dims: (Int, Int, Int, Int)) throws {
        let (c, o, s, size) = dims
        var random = SeededRandom(seed: UInt64(c * o))
        let x = Tensor(shape: [2, c, size, size], data: random.floats(2 * c * size * size))
        let expected = Reference.shortcutA(ref(x), outChannels: o, stride: s)
        let y = try runSingleStep(.shortcutA(stride: s), inputs: [x], outputShape: expected.shape)
        #expect(y.shape == expected.shape)
        #expect(y.data.map(Double.init) == expected.data)
    }

    @Test("option-A layout: p = (O − C) / 2 zero channels first")
    func shortcutALayout() throws {
        // C=1 → O=4: p = 1, so channel 1 holds the data, channels 0, 2, 3 are zero.
        let x = Tensor(shape: [1, 1, 2, 2], data: [1, 2, 3, 4])
        let y = try runSingleStep(.shortcutA(stride: 2), inputs: [x], outputShape: [1, 4, 1, 1])
        #expect(y.data == [0, 1, 0, 0])
    }
}
