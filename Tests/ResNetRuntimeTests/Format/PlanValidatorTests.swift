// PlanValidator: bounds (with overflow), shapes per op, operand counts and aliasing each give the
// exact `.invalidPlan` error, both from Model(plan:weights:) and from a stored `.rnc` file.

import ResNetRuntime
import Testing

@Suite("Plan validator")
struct PlanValidatorTests {
    private let arena = sampleBuilder().arenaFloats

    /// Applies `edit` to the sample plan and expects `Model` (in memory and from bytes) to fail.
    private func expectInvalid(step: String, reason: String, _ edit: (inout Plan) -> Void,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let builder = sampleBuilder()
        var plan = builder.plan
        edit(&plan)
        let error = RuntimeError.invalidPlan(step: step, reason: reason)
        #expect(throws: error, sourceLocation: sourceLocation) { try Model(plan: plan, weights: builder.weights) }
        let bytes = rawRNC(planJSON: try planJSON(plan), weights: builder.weights)
        #expect(throws: error, sourceLocation: sourceLocation) { try Model(bytes: bytes) }
    }

    @Test("the sample plan is valid")
    func valid() throws {
        try PlanValidator.validate(sampleBuilder().plan)
    }

    @Test("tensor offset outside the arena")
    func offsetOutOfArena() throws {
        try expectInvalid(step: "pool", reason: "output: tensor at offset 100000 with 32 floats lies outside the arena (\(arena) floats)") {
            $0.steps[2].output.offset = 100_000
        }
        try expectInvalid(step: "input image", reason: "tensor at offset -1 with 192 floats lies outside the arena (\(arena) floats)") {
            $0.inputs[0].tensor.offset = -1
        }
    }

    @Test("weight outside the blob")
    func weightOutOfBlob() throws {
        let weightFloats = sampleBuilder().weights.count
        try expectInvalid(step: "fc", reason: "weight 1: weight at offset \(weightFloats) with 5 floats lies outside the weight blob (\(weightFloats) floats)") {
            $0.steps[5].weights[1].offset = weightFloats
        }
    }

    @Test("overflowing offsets and shapes")
    func overflow() throws {
        try expectInvalid(step: "fc", reason: "weight 0: weight at offset \(Int.max) with 40 floats lies outside the weight blob (\(sampleBuilder().weights.count) floats)") {
            $0.steps[5].weights[0].offset = Int.max
        }
        try expectInvalid(step: "gap", reason: "output: tensor at offset \(Int.max - 4) with 8 floats lies outside the arena (\(arena) floats)") {
            $0.steps[3].output.offset = Int.max - 4
        }
        try expectInvalid(step: "gap", reason: "output: tensor shape \(1 << 40)x\(1 << 40) has a dimension < 1 or more than \(1 << 34) elements") {
            $0.steps[3].output.shape = [1 << 40, 1 << 40]
        }
        try expectInvalid(step: "plan", reason: "arena size \(Int.max) floats is outside 0...\(1 << 34)") {
            $0.arenaFloats = Int.max
        }
    }

    @Test("wrong conv output shape")
    func convShape() throws {
        try expectInvalid(step: "conv2", reason: "output shape: expected 1x8x4x4, found 1x8x3x3") {
            $0.steps[1].output.shape = [1, 8, 3, 3]
        }
        try expectInvalid(step: "conv1", reason: "weight: expected 108 floats, found 100") {
            $0.steps[0].weights[0].count = 100
        }
        try expectInvalid(step: "conv1", reason: "groups 2 must divide input channels 3 and output channels 4") {
            $0.steps[0].op = .conv2d(Conv2DParams(kernel: 3, padding: 1, groups: 2, hasBias: true))
        }
        try expectInvalid(step: "conv1", reason: "stride 0 is outside 1...65536") {
            $0.steps[0].op = .conv2d(Conv2DParams(kernel: 3, stride: 0, padding: 1, hasBias: true))
        }
        try expectInvalid(step: "conv1", reason: "conv2d kernel span 21 exceeds padded input 1x3x8x8 (padding 1)") {
            $0.steps[0].op = .conv2d(Conv2DParams(kernel: 11, padding: 1, dilation: 2, hasBias: true))
        }
    }

    @Test("operand counts, pool, residual and aliasing rules")
    func otherRules() throws {
        try expectInvalid(step: "conv1", reason: "expected 2 weight tensors, found 1") {
            $0.steps[0].weights.removeLast()
        }
        try expectInvalid(step: "pool", reason: "output shape: expected 1x8x2x2, found 1x8x3x3") {
            $0.steps[2].output.shape = [1, 8, 3, 3]
        }
        try expectInvalid(step: "pool", reason: "padding 2 must be between 0 and half the kernel (2)") {
            $0.steps[2].op = .maxPool(PoolParams(kernel: 2, stride: 2, padding: 2))
        }
        try expectInvalid(step: "conv2", reason: "output shape for option-A residual 1x4x8x8 with stride 1: expected 1x8x8x8, found 1x8x4x4") {
            $0.steps[1].epilogue.residual = .shortcutA(stride: 1)
        }
        try expectInvalid(step: "conv2", reason: "residual shape: expected 1x8x4x4, found 1x4x8x8") {
            $0.steps[1].epilogue.residual = .identity
        }
        try expectInvalid(step: "conv2", reason: "input 0 overlaps the output in the arena") {
            $0.steps[1].output.offset = $0.steps[1].inputs[0].offset
        }
        try expectInvalid(step: "softmax", reason: "softmax cannot take a residual") {
            $0.steps[6].epilogue.residual = .identity
        }
        try expectInvalid(step: "fc", reason: "linear maps [N, I] to [N, O]; found input 1x8x1x1, output 1x5") {
            $0.steps[5].inputs[0] = $0.steps[3].output
        }
        try expectInvalid(step: "plan", reason: "the plan has no outputs") {
            $0.outputs = []
        }
    }

    @Test("invalid plan message")
    func message() {
        let error = RuntimeError.invalidPlan(step: "conv2", reason: "output shape: expected 1x8x4x4, found 1x8x3x3")
        #expect(error.description == "invalid plan at 'conv2': output shape: expected 1x8x4x4, found 1x8x3x3")
    }
}
