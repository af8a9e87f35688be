// Hand-computed checks of the reference interpreter on tiny graphs.
import Testing
import ResNetCompiler
import ResNetRuntime

@Suite struct ReferenceInterpreterTests {
    /// 1-channel 3x3 input 1...9, 2x2 all-ones kernel, padding 1 -> hand-computed sums.
    @Test func convWithPaddingSumsWindows() throws {
        var g = Graph(name: "t")
        let x = try g.add(.input, inputs: [], name: "x", inputShape: [1, 1, 3, 3])
        let c = try g.add(.conv(ConvAttributes(outChannels: 1, kernel: 3, padding: 1, hasBias: true)),
                          inputs: [x], name: "conv",
                          params: ["weight": Tensor(shape: [1, 1, 3, 3], data: [Float](repeating: 1, count: 9)),
                                   "bias": Tensor(shape: [1], data: [0.5])])
        g.outputs = [GraphOutput(name: "y", node: c)]
        let out = try ReferenceInterpreter.run(g, inputs: [Tensor(shape: [1, 1, 3, 3], data: (1...9).map(Float.init))])
        #expect(out[0].shape == [1, 1, 3, 3])
        #expect(out[0].data == [12, 21, 16, 27, 45, 33, 24, 39, 28].map { $0 + 0.5 })
    }

    @Test func maxPoolCeilModeAndShortcutA() throws {
        var g = Graph(name: "t")
        let x = try g.add(.input, inputs: [], name: "x", inputShape: [1, 1, 3, 3])
        let p = try g.add(.maxPool(PoolParams(kernel: 2, stride: 2, ceilMode: true)), inputs: [x])
        let s = try g.add(.shortcutA(outChannels: 4, stride: 2), inputs: [x])
        g.outputs = [GraphOutput(name: "p", node: p), GraphOutput(name: "s", node: s)]
        let out = try ReferenceInterpreter.run(g, inputs: [Tensor(shape: [1, 1, 3, 3], data: (1...9).map(Float.init))])
        #expect(out[0].data == [5, 6, 8, 9])
        #expect(out[1].shape == [1, 4, 2, 2])
        #expect(out[1].data == [0, 0, 0, 0, 1, 3, 7, 9, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func badInputsAndMissingParametersAreNamed() throws {
        var g = Graph(name: "t")
        let x = try g.add(.input, inputs: [], name: "x", inputShape: [1, 1, 3, 3])
        let c = try g.add(.conv(ConvAttributes(outChannels: 1, kernel: 1, hasBias: false)), inputs: [x],
                          name: "layer1.0.conv1")
        g.outputs = [GraphOutput(name: "y", node: c)]
        #expect(throws: InterpreterError("input %0 x expects shape 1x1x3x3, found 1x1x2x2")) {
            try ReferenceInterpreter.run(g, inputs: [Tensor(zeros: [1, 1, 2, 2])])
        }
        #expect(throws: InterpreterError("missing parameter layer1.0.conv1.weight")) {
            try ReferenceInterpreter.run(g, inputs: [Tensor(zeros: [1, 1, 3, 3])])
        }
    }
}
