// The planned arena of hand-built residual graphs: no two live values overlap, the plan runs
// bitwise like one buffer per value, and the figures are pinned.
import ResNetCompiler
import ResNetRuntime
import Testing

/// The graph after the standard passes (BN folded, residuals and activations fused).
func optimized(_ graph: Graph) throws -> Graph {
    try PassManager(passes: PassPipeline.standard).run(graph).0
}

/// Runs a lowered model on the seeded input for its input shapes.
func run(_ lowered: LoweredModel) throws -> [Tensor] {
    let model = try Model(plan: lowered.plan, weights: lowered.weights)
    let inputs = lowered.plan.inputs.enumerated().map { WeightInitializer.makeInput(shape: $1.tensor.shape, seed: UInt64($0 + 3)) }
    return try Session(model: model).run(inputs)
}

extension MemoryOptions {
    /// Input kept and no conv in place: only elementwise steps share their operand's memory.
    static let elementwiseOnly = MemoryOptions(reuseInputMemory: false, allowConvResidualInPlace: false,
                                               allowPointwiseConvInPlace: false)
}

@Suite struct MemoryPlanningTests {
    static let optionSets: [(String, MemoryOptions)] = [
        ("default (every in-place rule)", MemoryOptions()),
        ("graph order", MemoryOptions(reorderSteps: false)),
        ("nothing in place over a conv", MemoryOptions.elementwiseOnly),
        ("input kept", MemoryOptions(reuseInputMemory: false)),
        ("conv residual only", MemoryOptions(allowPointwiseConvInPlace: false)),
        ("pointwise only", MemoryOptions(allowConvResidualInPlace: false)),
    ]

    @Test(arguments: [false, true])
    func liveValuesNeverShareMemory(fused: Bool) throws {
        for source in try ResidualGraphs.all {
            let graph = fused ? try optimized(source) : source
            for (label, options) in Self.optionSets {
                let plan = try Lowering.lower(graph, options: .init(memory: .planned(options))).plan
                let problems = ArenaOverlapChecker.conflicts(graph: graph, plan: plan, options: options)
                #expect(problems.isEmpty, "\(graph.name) (\(label)): \(problems.prefix(3))")
                for ref in plan.steps.map(\.output) + plan.inputs.map(\.tensor) {
                    #expect(ref.offset % 16 == 0 && ref.offset + ref.count <= plan.arenaFloats)
                }
                try PlanValidator.validate(plan)
            }
        }
    }

    @Test(arguments: [false, true])
    func plannedRunIsBitwiseEqualToOneBufferPerValue(fused: Bool) throws {
        for source in try ResidualGraphs.all {
            let graph = fused ? try optimized(source) : source
            let reference = try run(try Lowering.lower(graph, options: .init(memory: .oneBufferPerValue)))
            for (label, options) in Self.optionSets {
                let planned = try run(try Lowering.lower(graph, options: .init(memory: .planned(options))))
                #expect(planned.map(\.data) == reference.map(\.data), "\(graph.name) (\(label))")
                #expect(planned.map(\.shape) == reference.map(\.shape))
            }
        }
    }

    @Test func inPlaceStepsShareTheirOperandsBuffer() throws {
        let graph = try ResidualGraphs.basicNet()
        let plan = try Lowering.lower(graph, options: .init(memory: .planned(MemoryOptions(reuseInputMemory: false)))).plan
        let step = { (name: String) in plan.steps.first { $0.name == name }! }
        // bn1 overwrites conv1's output, which it reads last; the add overwrites one operand.
        #expect(step("bn1").output == TensorRef(offset: step("conv1").output.offset, shape: [1, 8, 16, 16]))
        let add = plan.steps.first { $0.op == .add }!
        #expect(add.inputs.contains { $0.offset == add.output.offset })
        // With input reuse off, the model input is kept whole: nothing is written over it.
        let input = plan.inputs[0].tensor
        #expect(!plan.steps.contains { $0.output.offset < input.offset + input.count && input.offset < $0.output.offset + $0.output.count })
    }

    @Test func convResidualInPlaceIsOnlyUsedWhenAllowed() throws {
        let graph = try optimized(try ResidualGraphs.basicNet())
        let fusedIdentity = { (plan: Plan) in
            plan.steps.filter { $0.epilogue.residual == .identity && $0.inputs.last!.offset == $0.output.offset }.map(\.name)
        }
        #expect(fusedIdentity(try Lowering.lower(graph, options: .init(memory: .planned(.elementwiseOnly))).plan) == [])
        // The identity block overwrites its input, the projection block its downsample output.
        #expect(fusedIdentity(try Lowering.lower(graph).plan) == ["layer1.0.conv2", "layer2.0.conv2"])
    }

    /// A bottleneck's 1×1 reduction whose input dies at it writes over that input's first
    /// channels; the runtime accepts the plan and computes what one buffer per value computes.
    @Test func pointwiseConvWritesOverTheStartOfItsDyingInput() throws {
        let graph = try optimized(try ResidualGraphs.pointwiseChain())
        let plan = try Lowering.lower(graph).plan
        let inPlace = plan.steps.filter { PlanValidator.isPointwisePrefix($0) }.map(\.name)
        #expect(inPlace == ["reduce"])
        let none = try Lowering.lower(graph, options: .init(memory: .planned(MemoryOptions(allowPointwiseConvInPlace: false)))).plan
        #expect(!none.steps.contains { PlanValidator.isPointwisePrefix($0) })
        #expect(plan.arenaFloats < none.arenaFloats)
        let reference = try run(try Lowering.lower(graph, options: .init(memory: .oneBufferPerValue)))
        #expect(try run(try Lowering.lower(graph)).map(\.data) == reference.map(\.data))
    }

    @Test func outputsAliasingInputsOrEachOtherGetCopies() throws {
        let plan = try Lowering.lower(try ResidualGraphs.branchyNet(),
                                      options: .init(memory: .planned(MemoryOptions(reuseInputMemory: false)))).plan
        let copies = plan.steps.filter { $0.op == .copy }.map(\.name).sorted()
        #expect(copies == ["copy_mid_again", "copy_x_copy"])
        let offsets = plan.outputs.map(\.tensor.offset) + plan.inputs.map(\.tensor.offset)
        #expect(Set(offsets).count == offsets.count)
    }

    @Test func figuresAreRecordedInTheMetadata() throws {
        let plan = try Lowering.lower(try optimized(try ResidualGraphs.bottleneckNet())).plan
        let figures = try #require(MemoryFigures(metadata: plan.metadata, arenaFloats: plan.arenaFloats))
        #expect(figures.planner == "planned")
        #expect(figures.lowerBoundBytes <= figures.arenaBytes && figures.arenaBytes < figures.naiveBytes)
        #expect(plan.steps.contains { $0.name == figures.peakStep })
    }
}

@Suite struct ArenaOverlapCheckerTests {
    /// The checker the tests rely on does catch a value written over one still being read.
    @Test func detectsAnOverwrittenLiveValue() throws {
        let graph = try ResidualGraphs.basicNet()
        var plan = try Lowering.lower(graph, options: .init(memory: .oneBufferPerValue)).plan
        #expect(ArenaOverlapChecker.conflicts(graph: graph, plan: plan, options: .elementwiseOnly).isEmpty)
        let conv2 = plan.steps.firstIndex { $0.name == "layer1.0.conv2" }!
        // The block input (the pool's output) is still needed by the residual add.
        plan.steps[conv2].output.offset = plan.steps.first { $0.op == .maxPool(PoolParams(kernel: 3, stride: 2, padding: 1)) }!.output.offset
        #expect(ArenaOverlapChecker.conflicts(graph: graph, plan: plan, options: MemoryOptions()).count > 0)
    }
}
