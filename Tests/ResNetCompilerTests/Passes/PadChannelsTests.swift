// pad-channels: maps whose channel count is a quarter or less short of a multiple of 16 grow to
// it, every reader gives the new channels zero weights, and the outputs do not change (the
// reference interpreter before and after, on seeded input); maps that a model output, a grouped
// conv or an unknown reader sees keep their channels.
import Testing
import ResNetCompiler
import ResNetRuntime

@Suite struct PadChannelsTests {
    /// A basic residual block at 40 channels, global pool and classifier: every map grows to 48.
    @Test func residualBlockGrowsToTheNextMultipleOf16() throws {
        var b = try PassTestGraphBuilder("block40", input: [2, 3, 9, 9])
        let stem = try b.act(b.conv(b.input, out: 40, bias: true))
        let body = try b.conv(b.act(b.conv(stem, out: 40)), out: 40)
        let block = try b.act(b.add(body, stem))
        b.output(try b.linear(b.op(.flatten, b.op(.globalAvgPool, block)), out: 10))
        let outcome = try expectPassPreserves(padChannelsPass, on: b.graph)
        #expect(outcome.maxRelativeError == 0)
        let maps = outcome.after.nodes.filter { $0.shape.count == 4 && $0.op != .input }
        #expect(maps.count == 8)
        #expect(outcome.rewrites == maps.count)
        #expect(maps.allSatisfy { $0.shape[1] == 48 })
        #expect(outcome.after.nodes[1].params["weight"]?.shape == [48, 3, 3, 3])
        #expect(outcome.after.nodes[1].params["bias"]?.shape == [48])
        #expect(outcome.after.nodes[3].params["weight"]?.shape == [48, 48, 3, 3])
        #expect(outcome.after.nodes.last?.params["weight"]?.shape == [10, 48])
        #expect(outcome.after.nodes.last?.shape == [2, 10])
    }

    /// Fused residual and activation epilogues (the pipeline's form) pad the same way.
    @Test func fusedResidualBlockPads() throws {
        var b = try PassTestGraphBuilder("fused", input: [1, 3, 8, 8])
        let stem = try b.conv(b.input, out: 56, epilogue: Epilogue(activation: .relu))
        let mid = try b.conv(stem, out: 56, epilogue: Epilogue(activation: .relu))
        let block = try b.graph.add(.conv(ConvAttributes(outChannels: 56, kernel: 3, padding: 1, hasBias: false,
                                                         epilogue: Epilogue(residual: .identity, activation: .relu))),
                                    inputs: [mid, stem], name: "conv_res")
        b.output(try b.linear(b.op(.flatten, b.op(.globalAvgPool, block)), out: 4))
        let outcome = try expectPassPreserves(padChannelsPass, on: b.graph)
        #expect(outcome.rewrites == 4)
        #expect(outcome.after.nodes[3].shape == [1, 64, 8, 8])
        #expect(outcome.maxRelativeError == 0)
    }

    /// Unfolded batch norms and sigmoids: the extra channels are ½, not 0, and still read as zero.
    @Test func batchNormAndSigmoidChannelsAreIgnoredByReaders() throws {
        var b = try PassTestGraphBuilder("bn_sigmoid", input: [2, 5, 6, 6])
        let x = try b.act(b.bn(b.conv(b.input, out: 60)), .sigmoid)
        let y = try b.maxPool(b.act(b.conv(x, out: 60, k: 1), .silu), k: 2, s: 2, p: 0)
        b.output(try b.linear(b.op(.flatten, y), out: 3))
        let outcome = try expectPassPreserves(padChannelsPass, on: b.graph)
        #expect(outcome.rewrites == 6)
        #expect(outcome.after.nodes[2].params["running_var"]?.data.suffix(4) == [1, 1, 1, 1])
        // flatten(y) is [2, 60·3·3]; the classifier's columns for channels 60…63 are zero.
        let weight = try #require(outcome.after.nodes.last?.params["weight"])
        #expect(weight.shape == [3, 64 * 9])
        #expect(weight.data[(3 * 64 * 9 - 36)...].allSatisfy { $0 == 0 })
        #expect(outcome.maxRelativeError == 0)
    }

    /// A map a model output shows keeps its channels, and so does everything in its class.
    @Test func mapsReachingAnOutputKeepTheirChannels() throws {
        var b = try PassTestGraphBuilder("out", input: [1, 3, 6, 6])
        let x = try b.act(b.conv(b.input, out: 40))
        b.output(try b.add(b.conv(x, out: 40), x))
        #expect(try expectPassPreserves(padChannelsPass, on: b.graph).rewrites == 0)
    }

    /// A grouped conv, a shortcut-A or a softmax reading the map: nothing pads.
    @Test func unsupportedReadersKeepTheClassUnpadded() throws {
        var grouped = try PassTestGraphBuilder("grouped", input: [1, 3, 6, 6])
        let g = try grouped.conv(grouped.input, out: 40)
        grouped.output(try grouped.op(.globalAvgPool, grouped.conv(g, out: 40, g: 40)))
        #expect(try expectPassPreserves(padChannelsPass, on: grouped.graph).rewrites == 0)

        var shortcut = try PassTestGraphBuilder("shortcut", input: [1, 3, 6, 6])
        let s = try shortcut.conv(shortcut.input, out: 40)
        shortcut.output(try shortcut.op(.globalAvgPool, shortcut.shortcutA(s, out: 80, s: 2)))
        #expect(try expectPassPreserves(padChannelsPass, on: shortcut.graph).rewrites == 0)
    }

    /// 24 → 32 would add a third (1.78× the multiply-adds between two such maps): not padded.
    /// 13 → 16, 40 → 48 and 120 → 128 are.
    @Test(arguments: [(24, 24), (13, 16), (40, 48), (120, 128), (64, 64), (8, 8)])
    func padsOnlyWhenAQuarterOrLessIsAdded(channels: Int, expected: Int) throws {
        var b = try PassTestGraphBuilder("width", input: [1, 3, 5, 5])
        b.output(try b.op(.globalAvgPool, b.conv(b.act(b.conv(b.input, out: channels)), out: 16)))
        let outcome = try expectPassPreserves(padChannelsPass, on: b.graph)
        #expect(outcome.after.nodes[1].shape[1] == expected)
        #expect(outcome.rewrites == (expected == channels ? 0 : 2))
    }

    /// The whole pipeline twice: the second run pads nothing more.
    @Test func pipelineIsIdempotent() throws {
        var b = try PassTestGraphBuilder("twice", input: [1, 3, 8, 8])
        let x = try b.act(b.bn(b.conv(b.input, out: 104)))
        b.output(try b.linear(b.op(.flatten, b.op(.globalAvgPool, b.act(b.add(b.bn(b.conv(x, out: 104)), x)))), out: 5))
        let outcome = try expectPipelinePreserves(graph: b.graph)
        #expect(outcome.after.nodes.filter { $0.shape.count == 4 && $0.op != .input }.allSatisfy { $0.shape[1] == 112 })
        try expectPipelineIdempotent(outcome.after)
    }
}
