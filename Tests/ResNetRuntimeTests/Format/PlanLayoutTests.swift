// Tensor layouts in plans: LayoutRules.canBlock, the validator's exact error for each broken
// rule (in memory and from `.rnc` bytes), and the JSON form (layout omitted when nchw).
import Foundation
import ResNetRuntime
import Testing

/// image [1,16,8,8] nchw → conv1 (3×3) blocked → conv2 (3×3, identity residual conv1) blocked →
/// pool (max 2×2) blocked → act (relu) blocked → gap nchw → flatten (copy) → fc.
func blockedBuilder(seed: UInt64 = 1) -> PlanBuilder {
    var random = SeededRandom(seed: seed)
    var b = PlanBuilder()
    b.name = "blocked"
    func blocked(_ ref: TensorRef) -> TensorRef { TensorRef(offset: ref.offset, shape: ref.shape, layout: .nChw16c) }
    let image = b.input("image", [1, 16, 8, 8])
    let conv3x3 = StepOp.conv2d(Conv2DParams(kernel: 3, padding: 1, hasBias: false))
    let c1 = blocked(b.step("conv1", conv3x3, inputs: [image], shape: [1, 16, 8, 8],
                            weights: [b.weight(random.floats(16 * 16 * 9))], epilogue: Epilogue(activation: .relu)))
    let c2 = blocked(b.step("conv2", conv3x3, inputs: [c1, c1], shape: [1, 16, 8, 8],
                            weights: [b.weight(random.floats(16 * 16 * 9))],
                            epilogue: Epilogue(residual: .identity, activation: .relu)))
    let pooled = blocked(b.step("pool", .maxPool(PoolParams(kernel: 2, stride: 2)), inputs: [c2], shape: [1, 16, 4, 4]))
    let act = blocked(b.step("act", .activation, inputs: [pooled], shape: [1, 16, 4, 4], epilogue: Epilogue(activation: .relu)))
    let gap = b.step("gap", .globalAvgPool, inputs: [act], shape: [1, 16, 1, 1])
    let flat = b.step("flatten", .copy, inputs: [gap], shape: [1, 16])
    let logits = b.step("fc", .linear(hasBias: false), inputs: [flat], shape: [1, 5], weights: [b.weight(random.floats(5 * 16))])
    b.output("logits", logits)
    // The builder's steps hold the refs as allocated (nchw): give each step the blocked refs.
    for index in 0..<4 { b.steps[index].output.layout = .nChw16c }
    for index in 1..<5 { b.steps[index].inputs = b.steps[index].inputs.map(blocked) }
    return b
}

@Suite("Plan layouts")
struct PlanLayoutTests {
    /// Applies `edit` to the blocked plan and expects `Model` (in memory and from bytes) to fail.
    private func expectInvalid(step: String, reason: String, _ edit: (inout Plan) -> Void,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let builder = blockedBuilder()
        var plan = builder.plan
        edit(&plan)
        let error = RuntimeError.invalidPlan(step: step, reason: reason)
        #expect(throws: error, sourceLocation: sourceLocation) { try Model(plan: plan, weights: builder.weights) }
        let bytes = rawRNC(planJSON: try planJSON(plan), weights: builder.weights)
        #expect(throws: error, sourceLocation: sourceLocation) { try Model(bytes: bytes) }
    }

    @Test("canBlock: rank 4, C a multiple of 16, more than one pixel")
    func canBlock() {
        #expect(LayoutRules.canBlock(shape: [1, 16, 2, 1]))
        #expect(LayoutRules.canBlock(shape: [8, 2048, 7, 7]))
        #expect(!LayoutRules.canBlock(shape: [1, 13, 8, 8]))
        #expect(!LayoutRules.canBlock(shape: [1, 16, 1, 1]))
        #expect(!LayoutRules.canBlock(shape: [1, 16, 64]))
        #expect(!LayoutRules.canBlock(shape: [1, 0, 8, 8]))
        #expect(!LayoutRules.canBlock(shape: [1, -16, 8, 8]))
        #expect(LayoutRules.canBlock(shape: [1, 16, Int.max, Int.max]), "overflow does not trap")
    }

    @Test("the blocked plan is valid and keeps every rule")
    func valid() throws {
        let plan = blockedBuilder().plan
        try PlanValidator.validate(plan)
        #expect(plan.steps.allSatisfy { LayoutRules.violation(in: $0) == nil })
        #expect(plan.steps.filter { $0.output.layout == .nChw16c }.count == 4)
    }

    @Test("blocked model inputs and outputs, and blocked shapes that cannot be")
    func bindingsAndShapes() throws {
        try expectInvalid(step: "input image", reason: "layout: expected nchw, found nChw16c (model inputs and outputs are nchw)") {
            $0.inputs[0].tensor.layout = .nChw16c
            $0.steps[0].inputs[0].layout = .nChw16c
        }
        try expectInvalid(step: "gap", reason: "output layout nChw16c needs [N, C, H, W] with C a multiple of 16 and H·W > 1, found 1x16x1x1") {
            $0.steps[4].output.layout = .nChw16c
        }
        try expectInvalid(step: "flatten", reason: "input 0 layout nChw16c needs [N, C, H, W] with C a multiple of 16 and H·W > 1, found 1x16x1x1") {
            $0.steps[5].inputs[0].layout = .nChw16c
        }
    }

    @Test("convolution rules")
    func conv() throws {
        try expectInvalid(step: "conv1", reason: "output layout: expected nchw, found nChw16c (a grouped convolution writes nchw unless it is depthwise)") {
            $0.steps[0].op = .conv2d(Conv2DParams(kernel: 3, padding: 1, groups: 2, hasBias: false))
            $0.steps[0].weights[0].count = 16 * 8 * 9
        }
        try expectInvalid(step: "conv1", reason: "output layout: expected nchw, found nChw16c (the convolution writes over its own input)") {
            $0.steps[0].op = .conv2d(Conv2DParams(kernel: 1, hasBias: false))
            $0.steps[0].weights[0].count = 16 * 16
            $0.steps[0].output.offset = $0.steps[0].inputs[0].offset
        }
        try expectInvalid(step: "act", reason: "output layout: expected nchw, found nChw16c (an option-A residual needs nchw outside a convolution)") {
            $0.steps[3].inputs.append($0.steps[3].inputs[0])
            $0.steps[3].epilogue.residual = .shortcutA(stride: 1)
        }
        try expectInvalid(step: "conv2", reason: "input 0 layout: expected nchw, found nChw16c (an nchw convolution reads nchw unless it has one group, output channels a multiple of 16 and its own output buffer)") {
            $0.steps[1].op = .conv2d(Conv2DParams(kernel: 3, padding: 1, groups: 2, hasBias: false))
            $0.steps[1].weights[0].count = 16 * 8 * 9
            $0.steps[1].output.layout = .nchw
            $0.steps[1].inputs[1].layout = .nchw
        }
        // With one group the same nchw conv may read its input blocked (blocked kernels, then a
        // reorder that adds the residual).
        var unblocking = blockedBuilder().plan
        unblocking.steps[1].output.layout = .nchw
        unblocking.steps[1].inputs[1].layout = .nchw
        #expect(LayoutRules.violation(in: unblocking.steps[1]) == nil)
        try expectInvalid(step: "conv2", reason: "residual layout: expected nChw16c, found nchw (a residual has the output's layout)") {
            $0.steps[1].inputs[1].layout = .nchw
        }
        try expectInvalid(step: "conv2", reason: "residual layout: expected nchw, found nChw16c (a residual has the output's layout)") {
            $0.steps[1].output.layout = .nchw
            $0.steps[1].inputs[0].layout = .nchw
        }
    }

    @Test("pooling, elementwise and nchw-only ops")
    func otherOps() throws {
        try expectInvalid(step: "pool", reason: "input 0 layout: expected nChw16c, found nchw (max pooling keeps the layout)") {
            $0.steps[2].inputs[0].layout = .nchw
        }
        try expectInvalid(step: "act", reason: "input 0 layout: expected nchw, found nChw16c (elementwise operands share the output's layout)") {
            $0.steps[3].output.layout = .nchw
        }
        try expectInvalid(step: "pool", reason: "input 0 layout: expected nchw, found nChw16c (this op is nchw only)") {
            $0.steps[2].op = .avgPool(PoolParams(kernel: 2, stride: 2))
        }
        // A scale-shift is elementwise per channel: blocked in and out is valid, mixed is not.
        try expectInvalid(step: "act", reason: "input 0 layout: expected nchw, found nChw16c (elementwise operands share the output's layout)") {
            $0.steps[3].op = .scaleShift
            $0.steps[3].weights = [WeightRef(offset: 0, count: 16), WeightRef(offset: 0, count: 16)]
            $0.steps[3].output.layout = .nchw
        }
        var blockedScaleShift = blockedBuilder().plan
        blockedScaleShift.steps[3].op = .scaleShift
        blockedScaleShift.steps[3].weights = [WeightRef(offset: 0, count: 16), WeightRef(offset: 0, count: 16)]
        try PlanValidator.validate(blockedScaleShift)
    }

    @Test("JSON: blocked refs round-trip, nchw is left out, and a ref without a layout reads as nchw")
    func json() throws {
        let builder = blockedBuilder()
        let plan = builder.plan
        let bytes = try planJSON(plan)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""layout":"nChw16c""#))
        #expect(!text.contains("nchw"))
        #expect(try JSONDecoder().decode(Plan.self, from: Data(bytes)) == plan)
        let model = try Model(bytes: rawRNC(planJSON: bytes, weights: builder.weights))
        #expect(model.plan == plan)

        let plain = try JSONDecoder().decode(TensorRef.self, from: Data(#"{"offset":16,"shape":[1,16,2,2]}"#.utf8))
        #expect(plain == TensorRef(offset: 16, shape: [1, 16, 2, 2], layout: .nchw))
        let old = sampleBuilder().plan
        let oldText = String(decoding: try planJSON(old), as: UTF8.self)
        #expect(!oldText.contains("layout"))
        let decoded = try JSONDecoder().decode(Plan.self, from: Data(oldText.utf8))
        #expect(decoded == old)
        #expect(decoded.steps.allSatisfy { ([$0.output] + $0.inputs).allSatisfy { $0.layout == .nchw } })
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TensorRef.self, from: Data(#"{"offset":0,"shape":[1],"layout":"nhwc"}"#.utf8))
        }
    }

    @Test("printing: blocked shapes carry their layout")
    func description() {
        #expect(TensorRef(offset: 0, shape: [1, 64, 56, 56], layout: .nChw16c).shapeAndLayout == "1x64x56x56 nChw16c")
        #expect(TensorRef(offset: 0, shape: [1, 1000]).shapeAndLayout == "1x1000")
    }
}
