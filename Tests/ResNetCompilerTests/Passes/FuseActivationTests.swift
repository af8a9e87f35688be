// fuse-activation: every activation after a conv or linear becomes its epilogue, and nothing is
// fused where the layer's raw value is still needed or already has an activation.
import Testing
import ResNetCompiler
import ResNetRuntime

@Suite struct FuseActivationTests {
    static let activations: [Activation] = [.relu, .leakyRelu(slope: 0.1), .relu6, .sigmoid, .silu]

    @Test(arguments: activations)
    func convThenActivationBecomesEpilogue(activation: Activation) throws {
        var b = try PassTestGraphBuilder("conv_act", input: [2, 3, 7, 7])
        b.output(try b.act(b.conv(b.input, out: 6, bias: true), activation))
        let outcome = try expectPassPreserves(fuseActivationPass, on: b.graph)
        #expect(outcome.rewrites == 1)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "conv"])
        #expect(convAttributes(outcome.after, 1)?.epilogue == Epilogue(activation: activation))
        #expect(outcome.maxRelativeError == 0)
    }

    @Test(arguments: activations)
    func linearThenActivationBecomesItsActivation(activation: Activation) throws {
        var b = try PassTestGraphBuilder("fc_act", input: [4, 10, 1, 1])
        b.output(try b.act(b.linear(b.op(.flatten, b.input), out: 7), activation))
        let outcome = try expectPassPreserves(fuseActivationPass, on: b.graph)
        #expect(outcome.rewrites == 1)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "flatten", "linear"])
        #expect(outcome.after.nodes[2].op == .linear(LinearAttributes(outFeatures: 7, hasBias: true,
                                                                      activation: activation)))
    }

    /// relu6 clips only values above 6: inputs scaled up make sure the clip is exercised.
    @Test func relu6ClipsLargeValuesBothBeforeAndAfter() throws {
        var b = try PassTestGraphBuilder("relu6", input: [1, 2, 4, 4])
        b.output(try b.act(b.conv(b.input, out: 2, k: 1, bias: false), .relu6))
        var g = b.graph
        g.nodes[1].params = ["weight": Tensor(shape: [2, 2, 1, 1], data: [10, 0, 0, -10])]
        let outcome = try expectPassPreserves(fuseActivationPass, on: g)
        let after = try ReferenceInterpreter.run(outcome.after, inputs: seededInputs(for: g, seed: 7))
        #expect(after[0].data.contains(6))
        #expect(after[0].data.contains(0))
    }

    /// The raw conv value is read elsewhere, so the activation cannot move into the conv.
    @Test func convWithAnotherReaderIsNotFused() throws {
        var b = try PassTestGraphBuilder("shared", input: [2, 3, 5, 5])
        let conv = try b.conv(b.input, out: 4)
        b.output(try b.act(conv))
        b.output(try b.op(.globalAvgPool, conv))
        let outcome = try expectPassPreserves(fuseActivationPass, on: b.graph)
        #expect(outcome.rewrites == 0)
        #expect(nodeCount(outcome.after, "relu") == 1)
    }

    @Test func convThatIsAnOutputIsNotFused() throws {
        var b = try PassTestGraphBuilder("conv_out", input: [2, 3, 5, 5])
        let conv = try b.conv(b.input, out: 4)
        b.output(conv)
        b.output(try b.act(conv))
        #expect(try expectPassPreserves(fuseActivationPass, on: b.graph).rewrites == 0)
    }

    /// Only the first of two stacked activations fuses; the second stays standalone.
    @Test func secondActivationStaysStandalone() throws {
        var b = try PassTestGraphBuilder("stacked", input: [2, 3, 5, 5])
        b.output(try b.act(b.act(b.conv(b.input, out: 4), .sigmoid), .relu))
        let outcome = try expectPassPreserves(fuseActivationPass, on: b.graph)
        #expect(outcome.rewrites == 1)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "conv", "relu"])
        #expect(convAttributes(outcome.after, 1)?.epilogue.activation == .sigmoid)
    }

    /// conv → maxpool → relu (the tutorial MNIST net): the activation moves into the conv, the
    /// pool reads the activated conv, and the outputs are the same bits.
    @Test(arguments: [Activation.relu, .relu6, .leakyRelu(slope: 0.1)])
    func monotonicActivationAfterMaxPoolOfConvFusesIntoTheConv(activation: Activation) throws {
        var b = try PassTestGraphBuilder("conv_pool_act", input: [2, 3, 9, 9])
        b.output(try b.act(b.maxPool(b.conv(b.input, out: 5, bias: true)), activation))
        let outcome = try expectPassPreserves(fuseActivationPass, on: b.graph)
        #expect(outcome.rewrites == 1)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "conv", "maxpool"])
        #expect(convAttributes(outcome.after, 1)?.epilogue == Epilogue(activation: activation))
        #expect(outcome.maxRelativeError == 0)
    }

    /// SiLU dips below zero and sigmoid's rounding need not keep the order, a negative leaky
    /// slope reverses it; a pool that is not a max, a conv with another reader or an activation
    /// already, all keep the activation where it is.
    @Test func activationAfterMaxPoolStaysWhenItCannotMove() throws {
        for activation in [Activation.silu, .sigmoid, .leakyRelu(slope: -0.5)] {
            var b = try PassTestGraphBuilder("pool_silu", input: [1, 3, 8, 8])
            b.output(try b.act(b.maxPool(b.conv(b.input, out: 4)), activation))
            #expect(try expectPassPreserves(fuseActivationPass, on: b.graph).rewrites == 0)
        }
        var shared = try PassTestGraphBuilder("pool_shared", input: [1, 3, 8, 8])
        let conv = try shared.conv(shared.input, out: 4)
        shared.output(try shared.act(shared.maxPool(conv)))
        shared.output(try shared.op(.globalAvgPool, conv))
        #expect(try expectPassPreserves(fuseActivationPass, on: shared.graph).rewrites == 0)
        var stacked = try PassTestGraphBuilder("pool_stacked", input: [1, 3, 8, 8])
        stacked.output(try stacked.act(stacked.maxPool(stacked.act(stacked.conv(stacked.input, out: 4), .sigmoid))))
        let outcome = try expectPassPreserves(fuseActivationPass, on: stacked.graph)
        #expect(outcome.rewrites == 1)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "conv", "maxpool", "relu"])
    }

    @Test func activationAfterNonLayerIsNotFused() throws {
        var b = try PassTestGraphBuilder("pool_act", input: [2, 3, 6, 6])
        b.output(try b.act(b.maxPool(b.act(b.input))))
        let outcome = try expectPassPreserves(fuseActivationPass, on: b.graph)
        #expect(outcome.rewrites == 0)
        #expect(IRPrinter.print(outcome.after) == IRPrinter.print(outcome.before))
    }

    /// A conv that already adds a residual gets the activation after the add: relu(conv + x).
    @Test func activationJoinsAFusedResidual() throws {
        var b = try PassTestGraphBuilder("residual_act", input: [2, 4, 5, 5])
        let conv = try b.graph.add(.conv(ConvAttributes(outChannels: 4, kernel: 3, padding: 1, hasBias: false,
                                                        epilogue: Epilogue(residual: .identity))),
                                   inputs: [b.input, b.input], name: "conv1")
        b.output(try b.act(conv))
        let outcome = try expectPassPreserves(fuseActivationPass, on: b.graph)
        #expect(outcome.rewrites == 1)
        #expect(convAttributes(outcome.after, 1)?.epilogue == Epilogue(residual: .identity, activation: .relu))
        #expect(outcome.after.nodes[1].inputs == [0, 0])
    }
}
