// The numeric oracle for every pass test: run the reference interpreter on a graph before and
// after a pass (or the whole pipeline) with seeded weights and inputs, and compare the outputs.
import Testing
import ResNetCompiler
import ResNetRuntime

/// Default tolerance: max |after − before| over an output, divided by max |before| of that output.
///
/// The interpreter computes in Double and rounds only its outputs, so the only difference a
/// correct pass introduces is folding's single rounding of each weight and bias to Float
/// (relative ≤ 2⁻²⁴ ≈ 6e-8 each). Observed on the hand-made graphs up to ResNet-50's layout:
/// ≤ 1.1e-7, about one Float ulp of the largest output (see `PassToleranceTests`). 1e-5 leaves a
/// wide margin, yet a wrong eps or a dropped bias gives errors above 1e-3.
let passTolerance = 1e-5

/// What a preserving pass run produced, for further structural checks.
struct PassOutcome {
    /// The graph the pass was given, with weights bound.
    var before: Graph
    /// The rewritten graph (verified).
    var after: Graph
    /// The pass's rewrite count (`PassResult.rewrites`); for a pipeline, the sum.
    var rewrites: Int
    /// Per-pass reports (a pipeline run only; empty for a single pass).
    var reports: [PassReport]
    /// Largest relative output error observed.
    var maxRelativeError: Double
}

/// Binds seeded weights unless every parameter is already present (so tests may set their own).
func bindingSeededWeights(_ graph: Graph, seed: UInt64) -> Graph {
    let bound = graph.nodes.allSatisfy { node in
        node.op.parameterShapes(inputs: node.inputs.map { graph.nodes[$0].shape })
            .allSatisfy { node.params[$0.name] != nil }
    }
    return bound ? graph : WeightInitializer.initialize(graph, seed: seed)
}

/// One seeded input per model input, each from its own seed.
func seededInputs(for graph: Graph, seed: UInt64) -> [Tensor] {
    graph.inputIDs.enumerated().map { index, id in
        WeightInitializer.makeInput(shape: graph.nodes[id].shape, seed: seed &+ 1 &+ UInt64(index))
    }
}

/// Largest `|after − before|` relative to the largest `|before|`, over one output.
func relativeError(_ after: Tensor, _ before: Tensor) -> Double {
    let scale = before.data.reduce(0.0) { max($0, abs(Double($1))) }
    let diff = zip(after.data, before.data).reduce(0.0) { max($0, abs(Double($1.0) - Double($1.1))) }
    return scale == 0 ? diff : diff / scale
}

/// Runs `rewrite` on `graph` (weights seeded if unbound), verifies the result and checks that every
/// output of the reference interpreter still matches within `tolerance`.
private func expectRewritePreserves(_ graph: Graph, seed: UInt64, tolerance: Double,
                                    sourceLocation: Testing.SourceLocation,
                                    _ rewrite: (Graph) throws -> (Graph, Int, [PassReport])) throws -> PassOutcome {
    let before = bindingSeededWeights(graph, seed: seed)
    try Verifier.verify(before)
    let (after, rewrites, reports) = try rewrite(before)
    do { try Verifier.verify(after) } catch {
        Issue.record("IR invalid after rewrite: \(error.message)\n\(IRPrinter.print(after))",
                     sourceLocation: sourceLocation)
        throw error
    }
    let inputs = seededInputs(for: before, seed: seed)
    let expected = try ReferenceInterpreter.run(before, inputs: inputs)
    let found = try ReferenceInterpreter.run(after, inputs: inputs)
    #expect(after.outputs.map(\.name) == before.outputs.map(\.name), sourceLocation: sourceLocation)
    #expect(found.map(\.shape) == expected.map(\.shape), sourceLocation: sourceLocation)
    var worst = 0.0
    for (index, (a, b)) in zip(found, expected).enumerated() {
        let error = relativeError(a, b)
        worst = max(worst, error)
        #expect(error <= tolerance, "output \(before.outputs[index].name): relative error \(error) > \(tolerance)",
                sourceLocation: sourceLocation)
    }
    return PassOutcome(before: before, after: after, rewrites: rewrites, reports: reports, maxRelativeError: worst)
}

/// Checks that `pass` preserves `graph`'s outputs (seeded weights and inputs, relative error ≤
/// `tolerance`) and leaves a valid graph. Returns the outcome; its `rewrites` is the pass's count.
@discardableResult
func expectPassPreserves(_ pass: Pass, on graph: Graph, seed: UInt64 = 7, tolerance: Double = passTolerance,
                         sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> PassOutcome {
    try expectRewritePreserves(graph, seed: seed, tolerance: tolerance, sourceLocation: sourceLocation) { bound in
        let result = pass.run(bound)
        return (result.graph, result.rewrites, [])
    }
}

/// Checks that a pipeline (the standard one by default) run by `PassManager`, which verifies after
/// each pass, preserves `graph`'s outputs. Meant to be looped over every `Graphs/*.net` network.
@discardableResult
func expectPipelinePreserves(graph: Graph, passes: [Pass] = PassPipeline.standard, seed: UInt64 = 7,
                             tolerance: Double = passTolerance,
                             sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> PassOutcome {
    try expectRewritePreserves(graph, seed: seed, tolerance: tolerance, sourceLocation: sourceLocation) { bound in
        let (after, reports) = try PassManager(passes: passes).run(bound)
        return (after, reports.reduce(0) { $0 + $1.rewrites }, reports)
    }
}

/// Checks every pass of the standard pipeline on its own (on the unoptimized graph), then the
/// whole pipeline, then that a second pipeline run changes nothing. For whole networks.
func expectEveryPassPreserves(graph: Graph, seed: UInt64 = 7, tolerance: Double = passTolerance,
                              sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    for pass in PassPipeline.standard {
        try expectPassPreserves(pass, on: graph, seed: seed, tolerance: tolerance, sourceLocation: sourceLocation)
    }
    let optimized = try expectPipelinePreserves(graph: graph, seed: seed, tolerance: tolerance,
                                                sourceLocation: sourceLocation)
    try expectPipelineIdempotent(optimized.after, sourceLocation: sourceLocation)
}

/// Checks that running the standard pipeline on an already optimized graph rewrites nothing and
/// prints the same IR.
func expectPipelineIdempotent(_ optimized: Graph,
                              sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let (again, reports) = try PassManager(passes: PassPipeline.standard).run(optimized)
    #expect(reports.map(\.rewrites) == [Int](repeating: 0, count: reports.count),
            "second run rewrote: \(reports.map(\.encoded))", sourceLocation: sourceLocation)
    #expect(IRPrinter.print(again) == IRPrinter.print(optimized), sourceLocation: sourceLocation)
}

/// How many nodes of `graph` have the given IR mnemonic (`batchnorm`, `relu`, `add`, `conv`, ...).
func nodeCount(_ graph: Graph, _ mnemonic: String) -> Int {
    graph.nodes.filter { $0.op.mnemonic == mnemonic }.count
}

/// Mnemonics of the standalone activation ops.
let activationMnemonics = ["relu", "leaky_relu", "relu6", "sigmoid", "silu", "identity"]

/// The conv attributes of node `id`, or nil if it is not a conv.
func convAttributes(_ graph: Graph, _ id: Int) -> ConvAttributes? {
    if case .conv(let a) = graph.nodes[id].op { a } else { nil }
}
