// Builds small Plans by hand for tests: allocates arena tensors and appends weight tensors.

import ResNetRuntime

/// Accumulates arena tensors, weights and steps, then produces a Plan and its weight blob.
struct PlanBuilder {
    var name = "test"
    private(set) var arenaFloats = 0
    private(set) var weights: [Float] = []
    var steps: [Step] = []
    var inputs: [TensorBinding] = []
    var outputs: [TensorBinding] = []

    /// A fresh arena tensor of `shape` (offsets 16-float aligned).
    mutating func tensor(_ shape: [Int]) -> TensorRef {
        let ref = TensorRef(offset: arenaFloats, shape: shape)
        arenaFloats += (ref.count + 15) / 16 * 16
        return ref
    }

    /// Appends `values` to the weight blob (16-float aligned) and returns its reference.
    mutating func weight(_ values: [Float]) -> WeightRef {
        while weights.count % 16 != 0 { weights.append(0) }
        let ref = WeightRef(offset: weights.count, count: values.count)
        weights.append(contentsOf: values)
        return ref
    }

    /// Declares a model input of `shape` and returns its tensor.
    mutating func input(_ name: String, _ shape: [Int]) -> TensorRef {
        let ref = tensor(shape)
        inputs.append(TensorBinding(name: name, tensor: ref))
        return ref
    }

    /// Declares `tensor` a model output.
    mutating func output(_ name: String, _ tensor: TensorRef) {
        outputs.append(TensorBinding(name: name, tensor: tensor))
    }

    /// Appends a step producing a fresh tensor of `shape`, returned.
    @discardableResult
    mutating func step(_ name: String, _ op: StepOp, inputs: [TensorRef], shape: [Int],
                       weights: [WeightRef] = [], epilogue: Epilogue = Epilogue(),
                       layout: TensorLayout = .nchw) -> TensorRef {
        var out = tensor(shape)
        out.layout = layout
        steps.append(Step(name: name, op: op, inputs: inputs, output: out, weights: weights, epilogue: epilogue))
        return out
    }

    /// The finished plan.
    var plan: Plan {
        Plan(name: name, inputs: inputs, outputs: outputs, arenaFloats: arenaFloats,
             weightFloats: weights.count, steps: steps, metadata: ["builder": "tests"])
    }

    /// A model of the finished plan.
    func model() throws -> Model { try Model(plan: plan, weights: weights) }
}

/// Runs a single-step plan: one or more inputs (data given), one output of `outputShape`.
func runSingleStep(_ op: StepOp, inputs: [Tensor], outputShape: [Int], weights: [[Float]] = [],
                   epilogue: Epilogue = Epilogue(), threads: Int = 1) throws -> Tensor {
    var builder = PlanBuilder()
    let refs = inputs.enumerated().map { builder.input("x\($0.offset)", $0.element.shape) }
    let weightRefs = weights.map { builder.weight($0) }
    let out = builder.step("step", op, inputs: refs, shape: outputShape, weights: weightRefs, epilogue: epilogue)
    builder.output("y", out)
    let session = try Session(model: builder.model(), threads: threads)
    return try session.run(inputs)[0]
}
