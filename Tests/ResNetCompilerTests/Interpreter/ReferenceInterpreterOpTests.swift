// Hand-computed checks of batch norm, avg pooling, linear, softmax and the fused conv epilogue.
import Testing
import ResNetCompiler
import ResNetRuntime

@Suite struct ReferenceInterpreterOpTests {
    private func close(_ a: [Float], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs(Double($0) - $1) < 1e-5 }
    }

    @Test func batchNormEvalFormula() throws {
        var g = Graph(name: "t")
        let x = try g.add(.input, inputs: [], name: "x", inputShape: [1, 2, 1, 1])
        let bn = try g.add(.batchNorm(eps: 1e-5), inputs: [x], name: "bn", params: [
            "weight": Tensor(shape: [2], data: [2, 3]), "bias": Tensor(shape: [2], data: [0.5, -1]),
            "running_mean": Tensor(shape: [2], data: [1, 2]), "running_var": Tensor(shape: [2], data: [4, 9])])
        g.outputs = [GraphOutput(name: "y", node: bn)]
        let out = try ReferenceInterpreter.run(g, inputs: [Tensor(shape: [1, 2, 1, 1], data: [3, 5])])
        let c0: Double = 2 / (4 + 1e-5).squareRoot() * 2 + 0.5
        let c1: Double = 3 / (9 + 1e-5).squareRoot() * 3 - 1
        #expect(close(out[0].data, [c0, c1]))
    }

    @Test func avgPoolCountIncludePad() throws {
        for include in [true, false] {
            var g = Graph(name: "t")
            let x = try g.add(.input, inputs: [], name: "x", inputShape: [1, 1, 2, 2])
            let p = try g.add(.avgPool(PoolParams(kernel: 2, stride: 2, padding: 1, countIncludePad: include)),
                              inputs: [x])
            g.outputs = [GraphOutput(name: "y", node: p)]
            let out = try ReferenceInterpreter.run(g, inputs: [Tensor(shape: [1, 1, 2, 2], data: [1, 2, 3, 4])])
            let expected: [Float] = include ? [0.25, 0.5, 0.75, 1] : [1, 2, 3, 4]
            #expect(out[0].data == expected)
        }
    }

    @Test func linearThenSoftmax() throws {
        var g = Graph(name: "t")
        let x = try g.add(.input, inputs: [], name: "x", inputShape: [1, 2])
        let l = try g.add(.linear(LinearAttributes(outFeatures: 2, hasBias: true)), inputs: [x], name: "fc",
                          params: ["weight": Tensor(shape: [2, 2], data: [1, 2, 3, 4]),
                                   "bias": Tensor(shape: [2], data: [1, -1])])
        let s = try g.add(.softmax, inputs: [l])
        g.outputs = [GraphOutput(name: "logits", node: l), GraphOutput(name: "probs", node: s)]
        let out = try ReferenceInterpreter.run(g, inputs: [Tensor(shape: [1, 2], data: [1, 1])])
        #expect(out[0].data == [4, 6])
        let e = (-2.0).exponential
        #expect(close(out[1].data, [e / (1 + e), 1 / (1 + e)]))
    }

    @Test func convEpilogueAddsShortcutAResidualThenRelu() throws {
        var g = Graph(name: "t")
        let x = try g.add(.input, inputs: [], name: "x", inputShape: [1, 1, 2, 2])
        let epilogue = Epilogue(residual: .shortcutA(stride: 2), activation: .relu)
        let c = try g.add(.conv(ConvAttributes(outChannels: 3, kernel: 1, stride: 2, hasBias: false,
                                               epilogue: epilogue)),
                          inputs: [x, x], name: "conv",
                          params: ["weight": Tensor(shape: [3, 1, 1, 1], data: [-1, -1, 1])])
        g.outputs = [GraphOutput(name: "y", node: c)]
        let out = try ReferenceInterpreter.run(g, inputs: [Tensor(shape: [1, 1, 2, 2], data: [5, 6, 7, 8])])
        // conv: [-5, -5, 5]; residual lands on channel (3 - 1) / 2 = 1: [0, 5, 0]; sum [-5, 0, 5]; relu.
        #expect(out[0].data == [0, 0, 5])
    }
}

private extension Double {
    var exponential: Double { var r = 1.0, t = 1.0; for i in 1..<40 { t *= self / Double(i); r += t }; return r }
}
