// fuse-residual: `conv + shortcut` becomes one conv with a residual epilogue for identity,
// projection and option-A shortcuts and either operand order; never when the conv is shared.
import Testing
import ResNetCompiler
import ResNetRuntime

@Suite struct FuseResidualTests {
    /// `relu(conv2(relu(conv1(x))) + shortcut(x))` where `shortcut` builds the other operand.
    private func block(_ name: String, swapped: Bool = false, stride: Int = 1, out: Int = 4,
                       shortcut: (inout PassTestGraphBuilder, Int) throws -> Int) throws -> Graph {
        var b = try PassTestGraphBuilder(name, input: [2, 4, 6, 6])
        let main = try b.conv(b.act(b.conv(b.input, out: out, s: stride)), out: out)
        let side = try shortcut(&b, b.input)
        b.output(try b.act(swapped ? b.add(side, main) : b.add(main, side)))
        return b.graph
    }

    /// The fused conv reads `[x of conv2, shortcut]`, sits where the add was, and the relu follows.
    private func expectFused(_ outcome: PassOutcome, residual: Residual, shortcut: Int, removed: Int = 1) {
        #expect(outcome.rewrites == 1)
        #expect(outcome.after.nodes.count == outcome.before.nodes.count - removed)
        #expect(nodeCount(outcome.after, "add") == 0)
        guard let relu = outcome.after.outputs.first?.node, let fused = outcome.after.nodes[relu].inputs.first else {
            Issue.record("no output")
            return
        }
        #expect(outcome.after.nodes[relu].op == .activation(.relu))
        #expect(convAttributes(outcome.after, fused)?.epilogue == Epilogue(residual: residual))
        #expect(outcome.after.nodes[fused].name == "conv2")
        #expect(outcome.after.nodes[fused].inputs.last == shortcut)
    }

    @Test func identityShortcutFuses() throws {
        let outcome = try expectPassPreserves(fuseResidualPass, on: block("identity") { _, x in x })
        expectFused(outcome, residual: .identity, shortcut: 0)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "conv", "relu", "conv", "relu"])
    }

    @Test func swappedOperandsFuseTheRightHandConv() throws {
        let outcome = try expectPassPreserves(fuseResidualPass, on: block("swapped", swapped: true) { _, x in x })
        expectFused(outcome, residual: .identity, shortcut: 0)
    }

    /// Both operands are convs: the left (main path) one takes the add; the projection is its residual.
    @Test func projectionShortcutFusesIntoTheMainConv() throws {
        let g = try block("projection", stride: 2, out: 8) { b, x in try b.conv(x, out: 8, k: 1, s: 2) }
        let outcome = try expectPassPreserves(fuseResidualPass, on: g)
        let projection = try #require(outcome.after.nodes.firstIndex { $0.name == "conv3" })
        expectFused(outcome, residual: .identity, shortcut: projection)
        #expect(convAttributes(outcome.after, projection)?.epilogue == Epilogue())
    }

    @Test func projectionOnTheLeftTakesTheAddWhenBothAreConvs() throws {
        let g = try block("projection_swapped", swapped: true, stride: 2, out: 8) { b, x in
            try b.conv(x, out: 8, k: 1, s: 2)
        }
        let outcome = try expectPassPreserves(fuseResidualPass, on: g)
        let projection = try #require(outcome.after.nodes.firstIndex { $0.name == "conv3" })
        // The left operand (the projection) is a fusable conv too, so it takes the add instead.
        #expect(outcome.rewrites == 1)
        #expect(convAttributes(outcome.after, projection)?.epilogue.residual == .identity)
    }

    /// Option A: the shortcut node disappears into the epilogue, which reads the block input.
    @Test(arguments: [(stride: 2, out: 8), (stride: 2, out: 7), (stride: 1, out: 6)])
    func optionAShortcutFuses(stride: Int, out: Int) throws {
        let g = try block("option_a", stride: stride, out: out) { b, x in try b.shortcutA(x, out: out, s: stride) }
        let outcome = try expectPassPreserves(fuseResidualPass, on: g)
        expectFused(outcome, residual: .shortcutA(stride: stride), shortcut: 0, removed: 2)
        #expect(nodeCount(outcome.after, "shortcut_a") == 0)
    }

    @Test func optionAShortcutWithAnotherReaderStaysAsIdentityResidual() throws {
        var b = try PassTestGraphBuilder("option_a_shared", input: [2, 4, 6, 6])
        let main = try b.conv(b.input, out: 8, s: 2)
        let side = try b.shortcutA(b.input, out: 8, s: 2)
        b.output(try b.add(main, side))
        b.output(side)
        let outcome = try expectPassPreserves(fuseResidualPass, on: b.graph)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "shortcut_a", "conv"])
        #expect(convAttributes(outcome.after, 2)?.epilogue == Epilogue(residual: .identity))
        #expect(outcome.after.nodes[2].inputs == [0, 1])
    }

    /// The conv's raw value is read elsewhere, so the add must stay.
    @Test func convWithAnotherReaderIsNotFused() throws {
        var b = try PassTestGraphBuilder("shared", input: [2, 4, 6, 6])
        let conv = try b.conv(b.input, out: 4)
        b.output(try b.act(b.add(conv, b.input)))
        b.output(try b.op(.globalAvgPool, conv))
        let outcome = try expectPassPreserves(fuseResidualPass, on: b.graph)
        #expect(outcome.rewrites == 0)
        #expect(nodeCount(outcome.after, "add") == 1)
    }

    /// `add(conv, other)` where `other` is itself a shared conv: the unshared one takes the add.
    @Test func onlyTheUnsharedOperandFuses() throws {
        var b = try PassTestGraphBuilder("one_shared", input: [2, 4, 6, 6])
        let shared = try b.conv(b.input, out: 4)
        let single = try b.conv(b.input, out: 4, k: 1)
        b.output(try b.add(shared, single))
        b.output(try b.act(shared))
        let outcome = try expectPassPreserves(fuseResidualPass, on: b.graph)
        #expect(outcome.rewrites == 1)
        let fused = try #require(outcome.after.nodes.firstIndex { $0.name == "conv2" })
        #expect(convAttributes(outcome.after, fused)?.epilogue.residual == .identity)
        #expect(outcome.after.nodes[fused].inputs == [0, 1])
    }

    @Test func convWithActivationOrThatIsAnOutputIsNotFused() throws {
        var b = try PassTestGraphBuilder("not_fusable", input: [2, 4, 6, 6])
        let activated = try b.conv(b.input, out: 4, epilogue: Epilogue(activation: .relu))
        let exposed = try b.conv(b.input, out: 4)
        b.output(try b.add(activated, b.input))
        b.output(try b.add(b.input, exposed))
        b.output(exposed)
        let outcome = try expectPassPreserves(fuseResidualPass, on: b.graph)
        #expect(outcome.rewrites == 0)
    }

    /// `conv + conv` of the same node is a doubling, not a residual.
    @Test func addOfAConvToItselfIsNotFused() throws {
        var b = try PassTestGraphBuilder("doubling", input: [2, 4, 6, 6])
        let conv = try b.conv(b.input, out: 4)
        b.output(try b.add(conv, conv))
        let outcome = try expectPassPreserves(fuseResidualPass, on: b.graph)
        #expect(outcome.rewrites == 0)
    }

    /// Shortcut computed after the conv in node order: the fused conv must move to the add's place.
    @Test func shortcutComputedAfterTheConvIsStillAvailable() throws {
        var b = try PassTestGraphBuilder("late_shortcut", input: [2, 4, 6, 6])
        let conv = try b.conv(b.input, out: 4)
        let late = try b.act(b.maxPool(b.input, k: 3, s: 1, p: 1), .sigmoid)
        b.output(try b.add(conv, late))
        let outcome = try expectPassPreserves(fuseResidualPass, on: b.graph)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "maxpool", "sigmoid", "conv"])
    }

    /// Two residual blocks in a row, the second reading the first's fused result.
    @Test func chainedBlocksBothFuse() throws {
        var b = try PassTestGraphBuilder("chain", input: [2, 4, 6, 6])
        let first = try b.act(b.add(b.conv(b.input, out: 4), b.input))
        b.output(try b.act(b.add(b.conv(first, out: 4), first)))
        let outcome = try expectPassPreserves(fuseResidualPass, on: b.graph)
        #expect(outcome.rewrites == 2)
        #expect(outcome.after.nodes.map(\.op.mnemonic) == ["input", "conv", "relu", "conv", "relu"])
        #expect(outcome.after.nodes[3].inputs == [2, 2])
    }
}
