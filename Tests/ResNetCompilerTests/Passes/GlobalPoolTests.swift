// global-pool: an average pool over a whole unpadded map becomes global_avgpool (outputs checked
// by the interpreter before and after); windows that leave more than one pixel, padded windows
// and max pools stay; and the tutorial ending `flatten(avgpool(x, k))` no longer keeps the
// network before it NCHW.
import Testing
import ResNetCompiler
import ResNetRuntime

@Suite struct GlobalPoolTests {
    @Test func wholeMapAveragePoolBecomesGlobal() throws {
        var b = try PassTestGraphBuilder("avg4", input: [2, 8, 4, 4])
        let pooled = try b.graph.add(.avgPool(PoolParams(kernel: 4, stride: 4)), inputs: [b.conv(b.input, out: 16)])
        b.output(try b.linear(b.op(.flatten, pooled), out: 3))
        let outcome = try expectPassPreserves(globalPoolPass, on: b.graph)
        #expect(outcome.rewrites == 1)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "conv", "global_avgpool", "flatten", "linear"])
        #expect(outcome.after.nodes[2].shape == [2, 16, 1, 1])
    }

    @Test func otherPoolsStay() throws {
        var b = try PassTestGraphBuilder("pools", input: [1, 8, 4, 4])
        let x = try b.conv(b.input, out: 16)
        b.output(try b.graph.add(.avgPool(PoolParams(kernel: 2, stride: 2)), inputs: [x]))
        b.output(try b.graph.add(.avgPool(PoolParams(kernel: 4, stride: 1, padding: 1)), inputs: [x]))
        b.output(try b.graph.add(.maxPool(PoolParams(kernel: 4, stride: 4)), inputs: [x]))
        let outcome = try expectPassPreserves(globalPoolPass, on: b.graph)
        #expect(outcome.rewrites == 0)
        #expect(nodeCount(outcome.after, "avgpool") == 2)
    }

    /// As many CIFAR tutorials end: every conv is blocked, as with global_avgpool.
    @Test func tutorialEndingKeepsConvsBlocked() throws {
        let source = """
            input image: 1x3x8x8
            defaults conv(bias: false)
            x = c1: conv(image, 16, kernel: 3, pad: 1) -> relu
            x = c2: conv(x, 32, kernel: 3, stride: 2, pad: 1) -> relu
            output logits = fc: linear(flatten(avgpool(x, kernel: 4)), 10)
            """
        let plan = try Compiler.compile(source: source, fileName: "tutorial.net").lowered.plan
        let convs = plan.steps.filter { if case .conv2d = $0.op { true } else { false } }
        #expect(convs.count == 2)
        #expect(convs.allSatisfy { $0.output.layout == .nChw16c })
    }
}
