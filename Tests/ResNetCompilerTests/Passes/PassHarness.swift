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

/// Largest `|after − before|` relative to the largest finite `|before|`, over one output. Infinite
/// when the element counts differ or a NaN/±inf appears on one side only (a plain `max` would
/// silently skip a NaN difference).
func relativeError(_ after: Tensor, _ before: Tensor) -> Double {
    guard after.data.count == before.data.count else { return .infinity }
    var scale = 0.0, diff = 0.0
    for (a, b) in zip(after.data, before.data) {
        guard a.isFinite, b.isFinite else {
            if a == b || (a.isNaN && b.isNaN) { continue }
            return .infinity
        }
        scale = max(scale, abs(Double(b)))
        diff = max(diff, abs(Double(a) - Double(b)))
    }
    return scale == 0 ? diff : diff / scale
}

/// A bound graph with its seeded inputs and reference outputs, computed once and compared
/// against any number of rewrites of it.
struct PassOracle {
    /// The graph with weights bound.
    let graph: Graph
    let inputs: [Tensor]
    /// The reference interpreter's outputs for `graph` on `inputs`.
    let expected: [Tensor]

    /// Binds seeded weights if `graph` is unbound, verifies it and runs the interpreter.
    init(_ graph: Graph, seed: UInt64) throws {
        self.graph = bindingSeededWeights(graph, seed: seed)
        try Verifier.verify(self.graph)
        inputs = seededInputs(for: self.graph, seed: seed)
        expected = try ReferenceInterpreter.run(self.graph, inputs: inputs)
    }

    /// Verifies `after` and checks each of its outputs within `tolerance` of the expected ones;
    /// returns the largest relative error.
    func expectMatches(_ after: Graph, tolerance: Double, sourceLocation: Testing.SourceLocation) throws -> Double {
        do { try Verifier.verify(after) } catch {
            Issue.record("IR invalid after rewrite: \(error.message)\n\(IRPrinter.print(after))",
                         sourceLocation: sourceLocation)
            throw error
        }
        let found = try ReferenceInterpreter.run(after, inputs: inputs)
        #expect(after.outputs.map(\.name) == graph.outputs.map(\.name), sourceLocation: sourceLocation)
        #expect(found.map(\.shape) == expected.map(\.shape), sourceLocation: sourceLocation)
        var worst = 0.0
        for (index, (a, b)) in zip(found, expected).enumerated() {
            let error = relativeError(a, b)
            worst = max(worst, error)
            #expect(error <= tolerance, "output \(graph.outputs[index].name): relative error \(error) > \(tolerance)",
                    sourceLocation: sourceLocation)
        }
        return worst
    }

    /// Runs `pass` on the bound graph and checks the result.
    func expectPreserved(by pass: Pass, tolerance: Double = passTolerance,
                         sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> PassOutcome {
        let result = pass.run(graph)
        let error = try expectMatches(result.graph, tolerance: tolerance, sourceLocation: sourceLocation)
        return PassOutcome(before: graph, after: result.graph, rewrites: result.rewrites, reports: [],
                           maxRelativeError: error)
    }

    /// Runs `passes` through `PassManager` (which verifies after each) and checks the result.
    func expectPreserved(byPipeline passes: [Pass], tolerance: Double = passTolerance,
                         sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> PassOutcome {
        let (after, reports) = try PassManager(passes: passes).run(graph)
        let error = try expectMatches(after, tolerance: tolerance, sourceLocation: sourceLocation)
        return PassOutcome(before: graph, after: after, rewrites: reports.reduce(0) { $0 + $1.rewrites },
                           reports: reports, maxRelativeError: error)
    }
}

/// Checks that `pass` preserves `graph`'s outputs (seeded weights and inputs, relative error ≤
/// `tolerance`) and leaves a valid graph. Returns the outcome; its `rewrites` is the pass's count.
@discardableResult
func expectPassPreserves(_ pass: Pass, on graph: Graph, seed: UInt64 = 7, tolerance: Double = passTolerance,
                         sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> PassOutcome {
    try PassOracle(graph, seed: seed).expectPreserved(by: pass, tolerance: tolerance, sourceLocation: sourceLocation)
}

/// Checks that a pipeline (the standard one by default) run by `PassManager`, which verifies after
/// each pass, preserves `graph`'s outputs. Meant to be looped over every `Graphs/*.net` network.
@discardableResult
func expectPipelinePreserves(graph: Graph, passes: [Pass] = PassPipeline.standard, seed: UInt64 = 7,
                             tolerance: Double = passTolerance,
                             sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> PassOutcome {
    try PassOracle(graph, seed: seed).expectPreserved(byPipeline: passes, tolerance: tolerance,
                                                      sourceLocation: sourceLocation)
}

/// For whole networks: every pass of the standard pipeline on its own (on the unoptimized graph),
/// then the whole pipeline, then a second pipeline run that must change nothing. The reference
/// outputs are computed once. Returns the pipeline's outcome.
@discardableResult
func expectEveryPassPreserves(graph: Graph, seed: UInt64 = 7, tolerance: Double = passTolerance,
                              sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> PassOutcome {
    let oracle = try PassOracle(graph, seed: seed)
    for pass in PassPipeline.standard {
        _ = try oracle.expectPreserved(by: pass, tolerance: tolerance, sourceLocation: sourceLocation)
    }
    let optimized = try oracle.expectPreserved(byPipeline: PassPipeline.standard, tolerance: tolerance,
                                               sourceLocation: sourceLocation)
    try expectPipelineIdempotent(optimized.after, sourceLocation: sourceLocation)
    return optimized
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
