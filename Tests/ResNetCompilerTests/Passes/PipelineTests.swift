// The standard pipeline on residual blocks and whole networks: outputs preserved, the expected
// structure and per-pass counts, idempotence, report round trips and pass-name errors.
import Testing
import ResNetCompiler
import ResNetRuntime

@Suite struct PipelineTests {
    /// Pass names with their rewrite count and node counts, as `PassReport.encoded` writes them.
    private func encoded(_ reports: [PassReport]) -> [String] { reports.map(\.encoded) }

    @Test func basicBlockBecomesTwoConvs() throws {
        var b = try PassTestGraphBuilder("basic_block", input: [2, 4, 6, 6])
        b.output(try b.basicBlock(b.input, out: 4))
        let outcome = try expectPipelinePreserves(graph: b.graph)
        #expect(encoded(outcome.reports) == ["drop-identities:0:8:8", "global-pool:0:8:8", "cse:0:8:8", "dce:0:8:8", "trim-padded-taps:0:8:8",
                                             "fold-batchnorm:2:8:6", "fuse-residual:1:6:5", "fuse-activation:2:5:3", "pad-channels:0:3:3"])
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "conv", "conv"])
        #expect(convAttributes(outcome.after, 1)?.epilogue == Epilogue(activation: .relu))
        #expect(convAttributes(outcome.after, 2)?.epilogue == Epilogue(residual: .identity, activation: .relu))
        #expect(outcome.after.nodes[2].inputs == [1, 0])
        try expectPipelineIdempotent(outcome.after)
    }

    /// No batchnorm, no standalone relu, no standalone add: four convs (one per layer) remain.
    @Test func bottleneckWithProjectionBecomesFourConvs() throws {
        var b = try PassTestGraphBuilder("bottleneck", input: [2, 8, 8, 8])
        b.output(try b.bottleneck(b.input, width: 4, stride: 2))
        let outcome = try expectPipelinePreserves(graph: b.graph)
        #expect(encoded(outcome.reports) == ["drop-identities:0:13:13", "global-pool:0:13:13", "cse:0:13:13", "dce:0:13:13", "trim-padded-taps:0:13:13",
                                             "fold-batchnorm:4:13:9", "fuse-residual:1:9:8", "fuse-activation:3:8:5", "pad-channels:0:5:5"])
        let after = outcome.after
        #expect(after.nodes.map(\.op.mnemonic) == ["input", "conv", "conv", "conv", "conv"])
        #expect(nodeCount(after, "batchnorm") + nodeCount(after, "add") == 0)
        #expect(activationMnemonics.allSatisfy { nodeCount(after, $0) == 0 })
        let epilogues = after.nodes.compactMap { convAttributes(after, $0.id)?.epilogue }
        #expect(epilogues == [Epilogue(activation: .relu), Epilogue(activation: .relu), Epilogue(),
                              Epilogue(residual: .identity, activation: .relu)])
        #expect(after.nodes.map(\.name) == ["x", "conv1", "conv2", "conv4", "conv3"])
        #expect(after.nodes[4].inputs == [2, 3])
        try expectPipelineIdempotent(after)
    }

    /// ResNet-50's layout (narrow): the issue's done-criterion. 53 convs = stem + 16 × 3 + 4
    /// projections; the 49 that ended in a relu carry it, the 16 block-final ones also the residual,
    /// the 4 projection convs keep an empty epilogue (their BN is folded, nothing follows them).
    /// At 32×32 layer4's maps are 1×1, so its three 3×3 convs lose all but their centre taps.
    @Test func resnet50LayoutLeavesOnlyConvsPoolsAndLinear() throws {
        let outcome = try expectEveryPassPreserves(graph: PassTestNetworks.resnet50Layout())
        let after = outcome.after
        #expect(encoded(outcome.reports) == ["drop-identities:1:177:176", "global-pool:0:176:176", "cse:0:176:176", "dce:0:176:176", "trim-padded-taps:3:176:176",
                                             "fold-batchnorm:53:176:123", "fuse-residual:16:123:107",
                                             "fuse-activation:49:107:58", "pad-channels:0:58:58"])
        let counts = Dictionary(after.nodes.map { ($0.op.mnemonic, 1) }, uniquingKeysWith: +)
        #expect(counts == ["input": 1, "conv": 53, "maxpool": 1, "global_avgpool": 1, "flatten": 1, "linear": 1])
        let epilogues = after.nodes.compactMap { convAttributes(after, $0.id)?.epilogue }
        #expect(epilogues.filter { $0.activation == .relu }.count == 49)
        #expect(epilogues.filter { $0 == Epilogue(residual: .identity, activation: .relu) }.count == 16)
        #expect(epilogues.filter { $0 == Epilogue() }.count == 4)
        try expectPipelineIdempotent(after)
    }

    @Test func smallResNetThroughEveryPassAndThePipeline() throws {
        let outcome = try expectEveryPassPreserves(graph: PassTestNetworks.smallResNet())
        #expect(encoded(outcome.reports) == ["drop-identities:1:34:33", "global-pool:0:33:33", "cse:0:33:33", "dce:0:33:33", "trim-padded-taps:0:33:33",
                                             "fold-batchnorm:8:33:25", "fuse-residual:3:25:21", "fuse-activation:7:21:14", "pad-channels:0:14:14"])
        #expect(outcome.after.nodes.map(\.op.mnemonic) == [
            "input", "conv", "maxpool", "conv", "conv", "conv", "conv", "conv", "conv", "conv",
            "global_avgpool", "flatten", "linear", "softmax"])
        let optionA = try #require(outcome.after.nodes.last { $0.op.mnemonic == "conv" })
        #expect(convAttributes(outcome.after, optionA.id)?.epilogue
            == Epilogue(residual: .shortcutA(stride: 2), activation: .relu))
    }

    @Test func cifarResNet20ThroughEveryPassAndThePipeline() throws {
        let after = try expectEveryPassPreserves(graph: PassTestNetworks.cifarResNet20()).after
        #expect(nodeCount(after, "conv") == 19)
        #expect(nodeCount(after, "shortcut_a") + nodeCount(after, "add") + nodeCount(after, "relu") == 0)
    }

    /// Pre-activation: the leading BNs have no conv before them and stay as scale_shift + relu.
    @Test func preActivationBlocksKeepScaleShift() throws {
        var b = try PassTestGraphBuilder("preact", input: [2, 4, 6, 6])
        b.output(try b.preActivationBlock(b.preActivationBlock(b.input)))
        let outcome = try expectPipelinePreserves(graph: b.graph)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "scale_shift", "relu", "conv", "conv",
                                                           "scale_shift", "relu", "conv", "conv"])
        #expect(convAttributes(outcome.after, 4)?.epilogue == Epilogue(residual: .identity))
        try expectPipelineIdempotent(outcome.after)
    }

    /// A dead reader of a conv must not block fusion on the first run only, or a second run
    /// would still find work: the pipeline removes dead nodes before it fuses.
    @Test func deadReadersDoNotBreakIdempotence() throws {
        var b = try PassTestGraphBuilder("dead_reader", input: [2, 4, 6, 6])
        let first = try b.conv(b.input, out: 4)
        _ = try b.op(.globalAvgPool, first)                  // dead reader of a conv before a BN
        let normalized = try b.bn(first)
        let second = try b.conv(normalized, out: 4)
        _ = try b.act(second, .sigmoid)                      // dead reader of a residual conv
        b.output(try b.act(b.add(second, normalized)))
        let outcome = try expectPipelinePreserves(graph: b.graph)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "conv", "conv"])
        try expectPipelineIdempotent(outcome.after)
    }

    /// `--print-after` may run on a graph whose weights are not bound: the pipeline must give the
    /// same structure as on the bound graph, with params left empty.
    @Test func unboundGraphGetsTheSameStructure() throws {
        let graph = try PassTestNetworks.smallResNet()
        let (unbound, unboundReports) = try PassManager(passes: PassPipeline.standard).run(graph)
        let (bound, boundReports) = try PassManager(passes: PassPipeline.standard).run(WeightInitializer.initialize(graph))
        #expect(unboundReports == boundReports)
        #expect(unbound.nodes.map(\.op) == bound.nodes.map(\.op))
        #expect(unbound.nodes.map(\.inputs) == bound.nodes.map(\.inputs))
        #expect(unbound.nodes.allSatisfy { $0.params.isEmpty })
    }

    /// Every IR text `--print-after all` would show, one per pass, with the header naming the pass;
    /// a pass that changed nothing gets its header only.
    @Test func printAfterAllLogsEachPass() throws {
        var b = try PassTestGraphBuilder("log", input: [2, 4, 6, 6])
        b.output(try b.basicBlock(b.input, out: 4))
        var log: [String] = []
        let manager = PassManager(passes: PassPipeline.standard, printAfter: ["all"])
        let (after, _) = try manager.run(WeightInitializer.initialize(b.graph)) { log.append($0) }
        #expect(log.count == 9)
        #expect(Array(log[0..<5]) == ["// ----- drop-identities: no change (8 nodes) -----",
                                      "// ----- global-pool: no change (8 nodes) -----",
                                      "// ----- cse: no change (8 nodes) -----", "// ----- dce: no change (8 nodes) -----",
                                      "// ----- trim-padded-taps: no change (8 nodes) -----"])
        #expect(log[5].hasPrefix("// ----- IR after fold-batchnorm (2 rewrite(s), 8 → 6 nodes) -----\ngraph log {"))
        #expect(log[7].hasSuffix(IRPrinter.print(after)) == true)
        #expect(log[8] == "// ----- pad-channels: no change (3 nodes) -----")
        var selected: [String] = []
        _ = try PassManager(passes: PassPipeline.standard, printAfter: ["fuse-residual"])
            .run(WeightInitializer.initialize(b.graph)) { selected.append($0) }
        #expect(selected.count == 1)
        #expect(selected[0].hasPrefix("// ----- IR after fuse-residual (1 rewrite(s), 6 → 5 nodes) -----"))
    }
}

@Suite struct PassTableTests {
    @Test func reportsRoundTripThroughTheirMetadataText() throws {
        let (_, reports) = try PassManager(passes: PassPipeline.standard)
            .run(WeightInitializer.initialize(PassTestNetworks.smallResNet()))
        let text = reports.map(\.encoded).joined(separator: ";")
        #expect(text == "drop-identities:1:34:33;global-pool:0:33:33;cse:0:33:33;dce:0:33:33;trim-padded-taps:0:33:33;fold-batchnorm:8:33:25;"
            + "fuse-residual:3:25:21;fuse-activation:7:21:14;pad-channels:0:14:14")
        #expect(PassReport.decode(text) == reports)
        #expect(reports.map(\.removed) == [1, 0, 0, 0, 0, 8, 4, 7, 0])
    }

    @Test func decodingSkipsMalformedEntries() {
        #expect(PassReport.decode("") == [])
        #expect(PassReport.decode("cse:1:2;x:y:1:2;dce:2:5:3;a:1:2:3:4")
            == [PassReport(name: "dce", nodesBefore: 5, nodesAfter: 3, rewrites: 2)])
    }

    @Test func standardOrderAndNames() {
        #expect(PassPipeline.standard.map(\.name)
            == ["drop-identities", "global-pool", "cse", "dce", "trim-padded-taps", "fold-batchnorm", "fuse-residual",
               "fuse-activation", "pad-channels"])
        #expect(Set(PassPipeline.all.keys) == Set(PassPipeline.standard.map(\.name)))
        #expect(PassPipeline.standard.allSatisfy { !$0.summary.isEmpty })
    }

    @Test func passesByNameKeepTheGivenOrder() throws {
        let passes = try PassPipeline.passes(named: ["dce", "fuse-activation", "fold-batchnorm"])
        #expect(passes.map(\.name) == ["dce", "fuse-activation", "fold-batchnorm"])
        #expect(try PassPipeline.passes(named: []).isEmpty)
    }

    @Test func unknownPassNameListsTheKnownOnes() {
        do {
            _ = try PassPipeline.passes(named: ["cse", "fold-bn"])
            Issue.record("expected an UnknownPassError")
        } catch {
            #expect(error.name == "fold-bn")
            #expect(error.description == "unknown pass 'fold-bn'; known passes: drop-identities, global-pool, cse, dce, "
                + "trim-padded-taps, fold-batchnorm, fuse-residual, fuse-activation, pad-channels")
        }
    }

    /// An empty pipeline (`-O0`) returns the graph untouched.
    @Test func emptyPipelineChangesNothing() throws {
        let graph = try PassTestNetworks.smallResNet()
        let outcome = try expectPipelinePreserves(graph: graph, passes: [])
        #expect(outcome.reports.isEmpty)
        #expect(IRPrinter.print(outcome.after) == IRPrinter.print(outcome.before))
        #expect(outcome.maxRelativeError == 0)
    }
}
