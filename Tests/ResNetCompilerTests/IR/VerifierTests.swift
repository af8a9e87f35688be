// Broken graphs and the exact messages the verifier gives for them.
import Testing
import ResNetCompiler
import ResNetRuntime

@Suite struct VerifierTests {
    private func base() throws -> Graph {
        var g = Graph(name: "t")
        let x = try g.add(.input, inputs: [], name: "x", inputShape: [1, 1, 4, 4])
        let c = try g.add(.conv(ConvAttributes(outChannels: 2, kernel: 3, padding: 1, hasBias: false)), inputs: [x],
                          name: "layer1.0.conv1")
        g.outputs = [GraphOutput(name: "y", node: c)]
        return g
    }

    @Test func validGraphPasses() throws { try Verifier.verify(try base()) }

    @Test func brokenGraphsGiveExactMessages() throws {
        var cases: [(Graph, String)] = []
        var g = try base(); g.nodes[1].shape = [1, 2, 2, 2]
        cases.append((g, "%1 layer1.0.conv1: stored shape 1x2x2x2 differs from inferred 1x2x4x4"))
        g = try base(); g.nodes[1].params = ["weight": Tensor(zeros: [2, 1, 1, 1])]
        cases.append((g, "%1 layer1.0.conv1: parameter layer1.0.conv1.weight has shape 2x1x1x1, expected 2x1x3x3"))
        g = try base(); g.nodes[1].params = ["weight": Tensor(zeros: [2, 1, 3, 3]), "bias": Tensor(zeros: [2])]
        cases.append((g, "%1 layer1.0.conv1: unexpected parameter layer1.0.conv1.bias"))
        g = try base(); g.nodes[1].inputs = [1]
        cases.append((g, "%1 layer1.0.conv1: operand %1 is not an earlier node"))
        g = try base(); g.outputs.append(GraphOutput(name: "y", node: 0))
        cases.append((g, "output name y is used twice"))
        g = try base(); g.outputs = [GraphOutput(name: "z", node: 7)]
        cases.append((g, "output z refers to missing node %7"))
        g = try base(); g.outputs = []
        cases.append((g, "graph t has no output"))
        for (graph, message) in cases {
            #expect(throws: VerifyError(message)) { try Verifier.verify(graph) }
        }
    }
}
