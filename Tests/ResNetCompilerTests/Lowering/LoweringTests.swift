// Plan structure for a small residual graph: steps, flatten aliasing, aligned weights, BN folding.
import Testing
import ResNetCompiler
import ResNetRuntime

@Suite struct LoweringTests {
    @Test func residualGraphLowersToExpectedPlan() throws {
        var g = Graph(name: "tiny")
        let x = try g.add(.input, inputs: [], name: "x", inputShape: [1, 2, 3, 3])
        let c = try g.add(.conv(ConvAttributes(outChannels: 2, kernel: 1, hasBias: false)), inputs: [x], name: "conv1",
                          params: ["weight": Tensor(shape: [2, 2, 1, 1], data: [1, 0, 0, 1])])
        let bn = try g.add(.batchNorm(eps: 1e-5), inputs: [c], name: "bn1", params: [
            "weight": Tensor(shape: [2], data: [0.3, 0.7]), "bias": Tensor(shape: [2], data: [0.1, 0.2]),
            "running_mean": Tensor(shape: [2], data: [0.5, -0.25]), "running_var": Tensor(shape: [2], data: [2, 3])])
        let a = try g.add(.add, inputs: [bn, x])
        let f = try g.add(.flatten, inputs: [a])
        g.outputs = [GraphOutput(name: "y", node: f), GraphOutput(name: "x_out", node: x)]
        let model = try Lowering.lower(g, metadata: ["target": "test"], options: .init(memory: .oneBufferPerValue))
        let plan = model.plan
        #expect(plan.steps.map(\.name) == ["conv1", "bn1", "add_3", "copy_x_out"])
        #expect(plan.outputs[0].tensor.offset == plan.steps[2].output.offset)
        #expect(plan.outputs[0].tensor.shape == [1, 18])
        #expect(plan.steps[1].weights.map(\.offset) == [16, 32])
        #expect(plan.metadata["target"] == "test" && plan.metadata["params"] == "8")
        let scale = Double(Float(0.7)) / (3.0 + 1e-5).squareRoot()
        #expect(model.weights[17] == Float(scale))
        #expect(model.weights[33] == Float(Double(Float(0.2)) - (-0.25) * scale))
        let refs = plan.steps.map(\.output) + plan.inputs.map(\.tensor)
        for r in refs { #expect(r.offset % 16 == 0 && r.offset + r.count <= plan.arenaFloats) }
        let spans = Set(refs.map { $0.offset }).sorted()
        #expect(spans.count == refs.count)
    }

    @Test func missingParameterIsNamed() throws {
        var g = Graph(name: "t")
        let x = try g.add(.input, inputs: [], name: "x", inputShape: [1, 2])
        let l = try g.add(.linear(LinearAttributes(outFeatures: 1, hasBias: true)), inputs: [x], name: "fc")
        g.outputs = [GraphOutput(name: "y", node: l)]
        #expect(throws: LoweringError("missing parameter fc.weight")) { try Lowering.lower(g) }
    }
}
