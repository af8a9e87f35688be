// The clean-up passes: drop-identities (dropout), dce (dead nodes) and cse (shared
// parameterless nodes), including outputs that point at removed or merged nodes.
import Testing
import ResNetCompiler
import ResNetRuntime

@Suite struct CleanupPassTests {
    @Test func dropoutIsRemoved() throws {
        var b = try PassTestGraphBuilder("dropout", input: [3, 8, 1, 1])
        let flat = try b.op(.flatten, b.input)
        b.output(try b.linear(b.op(.dropout(p: 0.5), b.op(.dropout(p: 0.2), flat)), out: 4))
        let outcome = try expectPassPreserves(dropIdentitiesPass, on: b.graph)
        #expect(outcome.rewrites == 2)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "flatten", "linear"])
        #expect(outcome.after.nodes[2].inputs == [1])
        #expect(outcome.maxRelativeError == 0)
    }

    /// An output that was a dropout now names the dropout's input, under the same output name.
    @Test func dropoutThatIsAnOutputForwardsTheOutput() throws {
        var b = try PassTestGraphBuilder("dropout_out", input: [3, 8])
        b.output(try b.op(.dropout(p: 0.1), b.input), name: "logits")
        let outcome = try expectPassPreserves(dropIdentitiesPass, on: b.graph)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input"])
        #expect(outcome.after.outputs == [GraphOutput(name: "logits", node: 0)])
    }

    @Test func deadNodesAreRemovedButInputsStay() throws {
        var b = try PassTestGraphBuilder("dead", input: [2, 3, 6, 6])
        let unused = try b.extraInput([2, 5])
        let live = try b.conv(b.input, out: 4)
        _ = try b.act(b.bn(b.conv(live, out: 4)))        // 3 dead nodes
        _ = try b.op(.softmax, unused)                    // 1 dead node on the unused input
        b.output(try b.op(.globalAvgPool, live))
        let outcome = try expectPassPreserves(removeDeadNodesPass, on: b.graph)
        #expect(outcome.rewrites == 4)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "input", "conv", "global_avgpool"])
        #expect(outcome.after.inputIDs == [0, 1])
        #expect(outcome.after.outputs == [GraphOutput(name: "y", node: 3)])
    }

    @Test func graphWithoutDeadNodesIsUnchanged() throws {
        var b = try PassTestGraphBuilder("live", input: [2, 3, 6, 6])
        b.output(try b.convBNReLU(b.input, out: 4))
        let outcome = try expectPassPreserves(removeDeadNodesPass, on: b.graph)
        #expect(outcome.rewrites == 0)
        #expect(IRPrinter.print(outcome.after) == IRPrinter.print(outcome.before))
    }

    /// Two relus of one value, and then two identical pools of those relus, collapse to one each.
    @Test func duplicateParameterlessNodesAreShared() throws {
        var b = try PassTestGraphBuilder("cse", input: [2, 3, 6, 6])
        let first = try b.maxPool(b.act(b.input))
        let second = try b.maxPool(b.act(b.input))
        b.output(try b.add(first, second))
        let outcome = try expectPassPreserves(eliminateCommonSubexpressionsPass, on: b.graph)
        #expect(outcome.rewrites == 2)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "relu", "maxpool", "add"])
        #expect(outcome.after.nodes[3].inputs == [2, 2])
    }

    @Test func differentAttributesOrOperandsAreNotShared() throws {
        var b = try PassTestGraphBuilder("cse_different", input: [2, 3, 6, 6])
        let relu = try b.act(b.input)
        let leaky = try b.act(b.input, .leakyRelu(slope: 0.1))
        let leakier = try b.act(b.input, .leakyRelu(slope: 0.2))
        let pooled = try b.maxPool(relu)
        let pooledOther = try b.maxPool(relu, k: 2, s: 2, p: 0)
        let averaged = try b.op(.avgPool(PoolParams(kernel: 3, stride: 2, padding: 1)), relu)
        b.output(try b.add(b.add(b.maxPool(leaky), b.maxPool(leakier)), b.add(pooled, averaged)))
        b.output(pooledOther)
        let outcome = try expectPassPreserves(eliminateCommonSubexpressionsPass, on: b.graph)
        #expect(outcome.rewrites == 0)
    }

    /// Layers with weights are distinct layers even when their attributes and operands are equal.
    @Test func layersWithWeightsAreNeverShared() throws {
        var b = try PassTestGraphBuilder("cse_layers", input: [2, 3, 6, 6])
        let a = try b.bn(b.conv(b.input, out: 4))
        let c = try b.bn(b.conv(b.input, out: 4))
        b.output(try b.add(a, c))
        let outcome = try expectPassPreserves(eliminateCommonSubexpressionsPass, on: b.graph)
        #expect(outcome.rewrites == 0)
        #expect(nodeCount(outcome.after, "conv") == 2)
    }

    /// The same holds before weights are bound (the verifier accepts unbound graphs, and
    /// `--print-after` on an unbound graph must not show two layers merged into one).
    @Test func unboundLayersAreNeverShared() throws {
        var b = try PassTestGraphBuilder("cse_unbound", input: [2, 3, 6, 6])
        let a = try b.conv(b.input, out: 4)
        let c = try b.conv(b.input, out: 4)
        let fa = try b.linear(b.op(.flatten, a), out: 2)
        let fc = try b.linear(b.op(.flatten, c), out: 2)
        b.output(try b.add(fa, fc))
        try Verifier.verify(b.graph)
        let result = eliminateCommonSubexpressionsPass.run(b.graph)
        #expect(result.rewrites == 0)
        #expect(nodeCount(result.graph, "conv") == 2)
        #expect(nodeCount(result.graph, "linear") == 2)
    }

    /// Two outputs naming duplicates end up naming the one shared node.
    @Test func outputsOfSharedNodesAreRemapped() throws {
        var b = try PassTestGraphBuilder("cse_outputs", input: [2, 5])
        b.output(try b.op(.softmax, b.input), name: "p")
        b.output(try b.op(.softmax, b.input), name: "q")
        let outcome = try expectPassPreserves(eliminateCommonSubexpressionsPass, on: b.graph)
        #expect(outcome.rewrites == 1)
        #expect(outcome.after.outputs == [GraphOutput(name: "p", node: 1), GraphOutput(name: "q", node: 1)])
    }

    /// Two model inputs of the same shape are different values and must stay apart.
    @Test func inputsAreNeverShared() throws {
        var b = try PassTestGraphBuilder("cse_inputs", input: [2, 5])
        let other = try b.extraInput([2, 5])
        b.output(try b.add(b.act(b.input), b.act(other)))
        let outcome = try expectPassPreserves(eliminateCommonSubexpressionsPass, on: b.graph)
        #expect(outcome.rewrites == 0)
        #expect(outcome.after.inputIDs.count == 2)
    }
}

@Suite struct DropIdentitiesTests {
    /// Each op here returns its input unchanged; all go, and the values are untouched.
    @Test func identityOpsAreRemoved() throws {
        var b = try PassTestGraphBuilder("identities", input: [2, 4, 5, 5])
        var x = try b.act(b.input, .identity)
        x = try b.maxPool(x, k: 1, s: 1, p: 0)
        x = try b.op(.avgPool(PoolParams(kernel: 1, stride: 1, ceilMode: true)), x)
        x = try b.shortcutA(x, out: 4, s: 1)
        let flat = try b.op(.flatten, b.op(.globalAvgPool, x))
        b.output(try b.op(.flatten, flat))
        let outcome = try expectPassPreserves(dropIdentitiesPass, on: b.graph)
        #expect(outcome.rewrites == 5)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "global_avgpool", "flatten"])
        #expect(outcome.maxRelativeError == 0)
    }

    /// Look-alikes that do change their input stay.
    @Test func nearIdentitiesStay() throws {
        var b = try PassTestGraphBuilder("near_identities", input: [2, 4, 5, 5])
        let pooled = try b.maxPool(b.input, k: 1, s: 2, p: 0)
        let padded = try b.shortcutA(pooled, out: 6, s: 1)
        let strided = try b.shortcutA(padded, out: 6, s: 2)
        b.output(try b.op(.flatten, b.op(.avgPool(PoolParams(kernel: 2, stride: 1)), strided)))
        let outcome = try expectPassPreserves(dropIdentitiesPass, on: b.graph)
        #expect(outcome.rewrites == 0)
    }

    /// `relu(identity(conv))`: were the identity fused into the conv instead of dropped, the relu
    /// would only fuse on a second run.
    @Test func identityActivationDoesNotBlockFusion() throws {
        var b = try PassTestGraphBuilder("identity_act", input: [2, 4, 5, 5])
        b.output(try b.act(b.act(b.bn(b.conv(b.input, out: 4)), .identity)))
        let outcome = try expectPipelinePreserves(graph: b.graph)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "conv"])
        #expect(convAttributes(outcome.after, 1)?.epilogue == Epilogue(activation: .relu))
        try expectPipelineIdempotent(outcome.after)
    }
}
