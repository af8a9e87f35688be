// Evidence for the harness's tolerance: what correct passes actually change (one Float rounding),
// and that typical folding mistakes are far above the tolerance, so the harness would catch them.
import Testing
import ResNetCompiler
import ResNetRuntime

@Suite struct PassToleranceTests {
    /// Observed maxima over these nets and seeds: ≈1.1e-7 (ResNet-50 layout, seed 7), i.e. about
    /// one Float ulp of the largest output; the tolerance (1e-5) leaves ~100x room.
    @Test(arguments: [UInt64(1), 2, 3])
    func pipelineErrorIsAboutOneFloatRounding(seed: UInt64) throws {
        for graph in [try PassTestNetworks.smallResNet(), try PassTestNetworks.cifarResNet20(),
                      try PassTestNetworks.resnet50Layout()] {
            let outcome = try expectPipelinePreserves(graph: graph, seed: seed)
            #expect(outcome.maxRelativeError <= 5e-7, "\(graph.name): \(outcome.maxRelativeError)")
        }
    }

    /// A pass that rewrites every batch norm's eps (as a fold that ignored eps would).
    private static let wrongEps = Pass(name: "wrong-eps", summary: "test only") { graph in
        var broken = graph
        for i in broken.nodes.indices where broken.nodes[i].op == .batchNorm(eps: 1e-5) {
            broken.nodes[i].op = .batchNorm(eps: 1e-2)
        }
        return PassResult(graph: broken, rewrites: 0)
    }

    /// A pass that drops every conv bias (as a fold that ignored the old bias would).
    private static let droppedBias = Pass(name: "dropped-bias", summary: "test only") { graph in
        var broken = graph
        for i in broken.nodes.indices {
            guard case .conv(var a) = broken.nodes[i].op, a.hasBias else { continue }
            a.hasBias = false
            broken.nodes[i].op = .conv(a)
            broken.nodes[i].params["bias"] = nil
        }
        return PassResult(graph: broken, rewrites: 0)
    }

    @Test func harnessCatchesTypicalFoldingMistakes() throws {
        var b = try PassTestGraphBuilder("mistakes", input: [2, 4, 6, 6])
        b.output(try b.act(b.bn(b.conv(b.input, out: 4, bias: true))))
        let graph = WeightInitializer.initialize(b.graph, seed: 7)
        let inputs = seededInputs(for: graph, seed: 7)
        let expected = try ReferenceInterpreter.run(graph, inputs: inputs)[0]
        for broken in [Self.wrongEps, Self.droppedBias] {
            let found = try ReferenceInterpreter.run(broken.run(graph).graph, inputs: inputs)[0]
            #expect(relativeError(found, expected) > 100 * passTolerance, "\(broken.name)")
        }
        withKnownIssue { try expectPassPreserves(Self.droppedBias, on: graph) }
    }

    @Test func relativeErrorSeesNaNsInfinitiesAndScale() {
        let t = { (data: [Float]) in Tensor(shape: [data.count], data: data) }
        #expect(relativeError(t([1, .nan]), t([1, 2])) == .infinity)
        #expect(relativeError(t([1, 2]), t([1, .nan])) == .infinity)
        #expect(relativeError(t([.infinity, 2]), t([-.infinity, 2])) == .infinity)
        #expect(relativeError(t([.nan, 2]), t([.nan, 2])) == 0)
        #expect(relativeError(t([1]), t([1, 2])) == .infinity)
        #expect(relativeError(t([3, -4.5]), t([2, -4])) == 0.25)
        #expect(relativeError(t([0.5, 0]), t([0, 0])) == 0.5)
    }
}
