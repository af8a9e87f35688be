// trim-padded-taps: convs whose outer taps only read padding shrink to the taps that read pixels
// (outputs checked by the interpreter before and after); convs where every tap meets a pixel,
// dilated convs and shrinks that would change the output size stay.
import Testing
import ResNetCompiler
import ResNetRuntime

@Suite struct TrimPaddedTapsTests {
    /// The kernel, padding and weight shape of the conv named `name` after the pass.
    private func conv(_ graph: Graph, _ name: String) throws -> (kernel: Int, padding: Int, weight: [Int]) {
        let node = try #require(graph.nodes.first { $0.name == name })
        guard case .conv(let a) = node.op else { throw PassTestError.notAConv(name) }
        return (a.kernel, a.padding, node.params["weight"]?.shape ?? [])
    }

    private enum PassTestError: Error { case notAConv(String) }

    @Test("a 3x3 and a 5x5 conv on a 1x1 map become 1x1 convs")
    func onePixel() throws {
        var b = try PassTestGraphBuilder("pixel", input: [2, 8, 1, 1])
        let x = try b.conv(b.input, out: 16, k: 3, bias: true)
        b.output(try b.conv(x, out: 4, k: 5, g: 2))
        let outcome = try expectPassPreserves(trimPaddedTapsPass, on: b.graph)
        #expect(outcome.rewrites == 2)
        #expect(try conv(outcome.after, "conv1") == (1, 0, [16, 8, 1, 1]))
        #expect(try conv(outcome.after, "conv2") == (1, 0, [4, 8, 1, 1]))
    }

    @Test("a strided 3x3 conv on a 2x2 map keeps the 2x2 taps that reach it")
    func stridedCorner() throws {
        // ResBlock6's block6.conv1: output 1x1 reads rows -1...1 of a 2x2 map, so taps 1 and 2.
        var b = try PassTestGraphBuilder("corner", input: [1, 16, 2, 2])
        b.output(try b.conv(b.input, out: 32, k: 3, s: 2, bias: true))
        let outcome = try expectPassPreserves(trimPaddedTapsPass, on: b.graph)
        #expect(outcome.rewrites == 1)
        #expect(try conv(outcome.after, "conv1") == (2, 0, [32, 16, 2, 2]))
        #expect(outcome.after.nodes.last?.shape == [1, 32, 1, 1])
    }

    @Test("convs whose taps all meet a pixel, and dilated ones, stay")
    func untouched() throws {
        var b = try PassTestGraphBuilder("keep", input: [1, 8, 2, 2])
        b.output(try b.conv(b.input, out: 8, k: 3))            // 2x2: every tap reads a pixel for some output
        b.output(try b.conv(b.input, out: 8, k: 3, p: 2, d: 2)) // dilated
        var c = try PassTestGraphBuilder("wide", input: [1, 8, 1, 5])
        c.output(try c.conv(c.input, out: 8, k: 3))            // 1x5: rows use only the centre, columns all
        #expect(try expectPassPreserves(trimPaddedTapsPass, on: b.graph).rewrites == 0)
        #expect(try expectPassPreserves(trimPaddedTapsPass, on: c.graph).rewrites == 0)
    }

    @Test("ResBlock6: the last block's convs shrink and the plan drops their unused weights")
    func resBlock6() throws {
        let full = try Compiler.compile(path: Repository.path("Graphs/resblock6.net"), options: CompileOptions(passes: PassPipeline.standard.filter { $0.name != "trim-padded-taps" }))
        let trimmed = try Compiler.compile(path: Repository.path("Graphs/resblock6.net"))
        #expect(try conv(trimmed.graph, "block6.conv2").kernel == 1)
        #expect(try conv(trimmed.graph, "block6.conv1").kernel == 2)
        // 2048 × 2048 × 8 and 2048 × 1024 × 5 weights fewer.
        #expect(full.lowered.plan.weightFloats - trimmed.lowered.plan.weightFloats == 2048 * 2048 * 8 + 2048 * 1024 * 5)
    }
}
