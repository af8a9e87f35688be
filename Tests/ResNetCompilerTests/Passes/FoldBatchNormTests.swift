// fold-batchnorm: folding into conv (with/without bias, eps, groups, dilation) and linear, the
// scale_shift fallback, and the cases where folding would change the result and must not happen.
import Testing
import ResNetCompiler
import ResNetRuntime

@Suite struct FoldBatchNormTests {
    /// conv → bn, with the given conv settings, as the single output.
    private func convBN(bias: Bool, eps: Double = 1e-5, groups: Int = 1, out: Int = 8, dilation: Int = 1,
                        stride: Int = 1) throws -> Graph {
        var b = try PassTestGraphBuilder("conv_bn", input: [2, 4, 9, 9])
        b.output(try b.bn(b.conv(b.input, out: out, s: stride, d: dilation, g: groups, bias: bias), eps: eps))
        return b.graph
    }

    /// The folded graph is `input, conv` with a bias; the batch norm is gone.
    private func expectFoldedIntoConv(_ outcome: PassOutcome) {
        #expect(outcome.rewrites == 1)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "conv"])
        #expect(convAttributes(outcome.after, 1)?.hasBias == true)
        #expect(outcome.after.nodes[1].name == "conv1")
        #expect(outcome.after.outputs == [GraphOutput(name: "y", node: 1)])
    }

    @Test func convWithBiasFoldsIntoWeightsAndBias() throws {
        let outcome = try expectPassPreserves(foldBatchNormPass, on: convBN(bias: true))
        expectFoldedIntoConv(outcome)
        // The folded weights are a per-output-channel scaling of the old ones.
        let old = outcome.before.nodes[1].params["weight"]!, new = outcome.after.nodes[1].params["weight"]!
        #expect(new.shape == old.shape)
        #expect(new.data != old.data)
    }

    @Test func convWithoutBiasGainsOne() throws {
        let outcome = try expectPassPreserves(foldBatchNormPass, on: convBN(bias: false))
        expectFoldedIntoConv(outcome)
        #expect(outcome.after.nodes[1].params["bias"]?.shape == [8])
    }

    /// A wrong or ignored eps would be off by ~5% here (running_var is in [0.5, 1.5]).
    @Test(arguments: [1e-3, 0.1, 0.0])
    func nonDefaultEpsIsUsed(eps: Double) throws {
        expectFoldedIntoConv(try expectPassPreserves(foldBatchNormPass, on: convBN(bias: true, eps: eps)))
    }

    @Test func groupedAndDepthwiseConvsFoldPerOutputChannel() throws {
        expectFoldedIntoConv(try expectPassPreserves(foldBatchNormPass, on: convBN(bias: false, groups: 2)))
        expectFoldedIntoConv(try expectPassPreserves(foldBatchNormPass, on: convBN(bias: true, groups: 4, out: 4)))
        expectFoldedIntoConv(try expectPassPreserves(foldBatchNormPass, on: convBN(bias: false, groups: 4, out: 12)))
    }

    @Test func dilatedStridedConvFolds() throws {
        expectFoldedIntoConv(try expectPassPreserves(foldBatchNormPass, on: convBN(bias: false, dilation: 2, stride: 2)))
    }

    /// Hand-checked values: w' = w·γ/√(var+ε), b' = (b − mean)·γ/√(var+ε) + β.
    @Test func foldedParametersMatchTheFormula() throws {
        var b = try PassTestGraphBuilder("hand", input: [1, 2, 1, 1])
        let conv = try b.conv(b.input, out: 2, k: 1, bias: true)
        b.output(try b.bn(conv, eps: 0.25))
        var g = b.graph
        g.nodes[1].params = ["weight": Tensor(shape: [2, 2, 1, 1], data: [1, 2, 3, 4]),
                             "bias": Tensor(shape: [2], data: [0.5, -1])]
        g.nodes[2].params = ["weight": Tensor(shape: [2], data: [2, 3]), "bias": Tensor(shape: [2], data: [1, 0]),
                             "running_mean": Tensor(shape: [2], data: [0.5, 1]),
                             "running_var": Tensor(shape: [2], data: [3.75, 0.75])]
        let outcome = try expectPassPreserves(foldBatchNormPass, on: g)
        // scale = [2/√4, 3/√1] = [1, 3]; shift = β − mean·scale = [0.5, −3].
        #expect(outcome.after.nodes[1].params["weight"]?.data == [1, 2, 9, 12])
        #expect(outcome.after.nodes[1].params["bias"]?.data == [1, -6])
    }

    @Test func batchNormAfterLinearFolds() throws {
        var b = try PassTestGraphBuilder("fc_bn", input: [3, 4, 2, 2])
        let flat = try b.op(.flatten, b.input)
        let withBias = try b.bn(b.linear(flat, out: 6))
        b.output(try b.bn(b.linear(withBias, out: 5, bias: false), eps: 0.01))
        let outcome = try expectPassPreserves(foldBatchNormPass, on: b.graph)
        #expect(outcome.rewrites == 2)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "flatten", "linear", "linear"])
        #expect(outcome.after.nodes[3].op == .linear(LinearAttributes(outFeatures: 5, hasBias: true)))
    }

    /// Pre-activation ResNets put the BN first: it becomes a scale_shift with the same numbers.
    @Test func batchNormWithoutConvBeforeBecomesScaleShift() throws {
        var b = try PassTestGraphBuilder("preact", input: [2, 4, 6, 6])
        let pre = try b.act(b.bn(b.input))
        let conv = try b.conv(pre, out: 4)
        b.output(try b.bn(b.maxPool(conv, k: 2, s: 2, p: 0), eps: 0.1))
        let outcome = try expectPassPreserves(foldBatchNormPass, on: b.graph)
        #expect(outcome.rewrites == 2)
        #expect(nodeCount(outcome.after, "batchnorm") == 0)
        #expect(nodeCount(outcome.after, "scale_shift") == 2)
        #expect(outcome.after.nodes[1].op == .scaleShift)
        #expect(outcome.after.nodes[1].params["scale"]?.shape == [4])
        #expect(outcome.after.nodes[1].name == "bn1")
    }

    /// Folding would change the value the other reader sees, so the conv stays as it is.
    @Test func convWithAnotherReaderIsNotFolded() throws {
        var b = try PassTestGraphBuilder("shared_conv", input: [2, 4, 6, 6])
        let conv = try b.conv(b.input, out: 4)
        b.output(try b.bn(conv))
        b.output(try b.act(conv))
        let outcome = try expectPassPreserves(foldBatchNormPass, on: b.graph)
        #expect(outcome.rewrites == 1)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "conv", "scale_shift", "relu"])
        #expect(outcome.after.nodes[1].params["weight"] == outcome.before.nodes[1].params["weight"])
        #expect(convAttributes(outcome.after, 1)?.hasBias == false)
    }

    @Test func convThatIsAnOutputIsNotFolded() throws {
        var b = try PassTestGraphBuilder("conv_out", input: [2, 4, 6, 6])
        let conv = try b.conv(b.input, out: 4)
        b.output(conv)
        b.output(try b.bn(conv))
        let outcome = try expectPassPreserves(foldBatchNormPass, on: b.graph)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "conv", "scale_shift"])
    }

    /// `bn(relu(conv))` cannot be folded through the activation, and neither can a BN after a conv
    /// that already carries a fused epilogue.
    @Test func convWithEpilogueOrActivationBetweenIsNotFolded() throws {
        var b = try PassTestGraphBuilder("epilogue", input: [2, 4, 6, 6])
        let fused = try b.conv(b.input, out: 4, epilogue: Epilogue(activation: .relu))
        let viaRelu = try b.bn(b.act(b.conv(b.bn(fused), out: 4)))
        b.output(viaRelu)
        let outcome = try expectPassPreserves(foldBatchNormPass, on: b.graph)
        #expect(outcome.rewrites == 2)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "conv", "scale_shift", "conv", "relu", "scale_shift"])
    }

    @Test func graphWithoutBatchNormIsUnchanged() throws {
        var b = try PassTestGraphBuilder("plain", input: [1, 3, 5, 5])
        b.output(try b.act(b.conv(b.input, out: 4, bias: true)))
        let outcome = try expectPassPreserves(foldBatchNormPass, on: b.graph)
        #expect(outcome.rewrites == 0)
        #expect(IRPrinter.print(outcome.after) == IRPrinter.print(outcome.before))
        #expect(outcome.maxRelativeError == 0)
    }
}

@Suite struct FoldBatchNormUnboundTests {
    /// The verifier accepts graphs whose weights are not bound yet; folding must not trap on
    /// them: the structure is rewritten (conv gains a bias, BN without conv becomes scale_shift)
    /// and params stay empty until binding.
    @Test func unboundGraphIsRewrittenStructurally() throws {
        var b = try PassTestGraphBuilder("unbound", input: [2, 4, 6, 6])
        let folded = try b.bn(b.conv(b.input, out: 4))
        b.output(try b.linear(b.op(.flatten, b.bn(b.act(folded))), out: 3))
        let result = foldBatchNormPass.run(b.graph)
        try Verifier.verify(result.graph)
        #expect(result.rewrites == 2)
        #expect(result.graph.nodes.map(\.op.mnemonic) == ["input", "conv", "relu", "scale_shift", "flatten", "linear"])
        #expect(convAttributes(result.graph, 1)?.hasBias == true)
        #expect(result.graph.nodes.allSatisfy { $0.params.isEmpty })
    }
}
