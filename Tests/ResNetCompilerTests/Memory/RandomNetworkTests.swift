// Random residual-style networks lowered with the planner and run by the Session: bitwise the
// same as one buffer per value, and no live values overlapping, before and after fusion.
import ResNetCompiler
import ResNetRuntime
import Testing

/// A random DAG of same-shaped convs, batch norms, ReLUs and adds over `[1, 3, 5, 5]`, with a
/// flatten + linear head and, sometimes, an intermediate value as a second output.
func randomNetwork(seed: UInt64) throws -> Graph {
    var rng = SeededGenerator(state: seed)
    var g = Graph(name: "random\(seed)")
    try g.add(.input, inputs: [], name: "x", inputShape: [1, 3, 5, 5])
    func recent() -> Int { max(0, g.nodes.count - 1 - Int.random(in: 0..<min(g.nodes.count, 5), using: &rng)) }
    for i in 0..<Int.random(in: 4...18, using: &rng) {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0:
            try g.add(.conv(ConvAttributes(outChannels: 3, kernel: 3, padding: 1, hasBias: Bool.random(using: &rng))),
                      inputs: [recent()], name: "conv\(i)")
        case 1: try g.add(.batchNorm(eps: 1e-5), inputs: [recent()], name: "bn\(i)")
        case 2: try g.add(.activation(.relu), inputs: [recent()])
        default: try g.add(.add, inputs: [recent(), recent()])
        }
    }
    let body = g.nodes.count - 1
    let flat = try g.add(.flatten, inputs: [body])
    let fc = try g.add(.linear(LinearAttributes(outFeatures: 4, hasBias: true)), inputs: [flat], name: "fc")
    g.outputs = [GraphOutput(name: "y", node: fc)]
    if Bool.random(using: &rng) { g.outputs.append(GraphOutput(name: "side", node: Int.random(in: 0..<body, using: &rng))) }
    return WeightInitializer.initialize(g, seed: seed)
}

@Suite struct RandomNetworkTests {
    @Test func plannedRunsMatchOneBufferPerValue() throws {
        for seed in UInt64(0)..<40 {
            let source = try randomNetwork(seed: seed)
            for graph in [source, try optimized(source)] {
                let reference = try run(try Lowering.lower(graph, options: .init(memory: .oneBufferPerValue)))
                for options in [MemoryOptions(), MemoryOptions.elementwiseOnly] {
                    let lowered = try Lowering.lower(graph, options: .init(memory: .planned(options)))
                    let problems = ArenaOverlapChecker.conflicts(graph: graph, plan: lowered.plan,
                                                                 options: options)
                    #expect(problems.isEmpty, "seed \(seed): \(problems.prefix(2))")
                    #expect(try run(lowered).map(\.data) == reference.map(\.data), "seed \(seed)")
                }
            }
        }
    }
}
