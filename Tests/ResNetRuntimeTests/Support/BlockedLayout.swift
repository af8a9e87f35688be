// Test-only nChw16c helpers: reorder NCHW data to the blocked layout and back, and run a
// single-step plan whose tensors carry chosen layouts (reordered in and out by copy steps, as
// model inputs and outputs are always NCHW).

import ResNetRuntime

/// The float index of element `(n, c, h, w)` in an nChw16c tensor of logical `shape`.
func blockedIndex(_ shape: [Int], _ n: Int, _ c: Int, _ h: Int, _ w: Int) -> Int {
    let (channels, height, width) = (shape[1], shape[2], shape[3])
    return ((n * channels / 16 + c / 16) * height * width + h * width + w) * 16 + c % 16
}

/// Pairs (NCHW index, nChw16c index) of every element of a rank-4 `shape`.
private func indexPairs(_ shape: [Int]) -> [(nchw: Int, blocked: Int)] {
    precondition(shape.count == 4 && shape[1] % 16 == 0, "nChw16c needs [N, C, H, W] with C % 16 == 0")
    var pairs: [(nchw: Int, blocked: Int)] = []
    for n in 0..<shape[0] { for c in 0..<shape[1] { for h in 0..<shape[2] { for w in 0..<shape[3] {
        pairs.append((((n * shape[1] + c) * shape[2] + h) * shape[3] + w, blockedIndex(shape, n, c, h, w)))
    } } } }
    return pairs
}

/// NCHW `tensor` stored in nChw16c order (the shape stays logical).
func toBlocked(_ tensor: Tensor) -> Tensor {
    var data = [Float](repeating: 0, count: tensor.data.count)
    for (nchw, blocked) in indexPairs(tensor.shape) { data[blocked] = tensor.data[nchw] }
    return Tensor(shape: tensor.shape, data: data)
}

/// An nChw16c-stored `tensor` back in NCHW order.
func fromBlocked(_ tensor: Tensor) -> Tensor {
    var data = [Float](repeating: 0, count: tensor.data.count)
    for (nchw, blocked) in indexPairs(tensor.shape) { data[nchw] = tensor.data[blocked] }
    return Tensor(shape: tensor.shape, data: data)
}

/// Runs one step whose inputs and output have the given layouts. Inputs are given and the
/// output returned in NCHW order: model inputs and outputs are NCHW (the layout rules), so the
/// plan reorders into and out of the step's layouts with `copy` steps.
func runSingleStep(_ op: StepOp, inputs: [Tensor], layouts: [TensorLayout], outputShape: [Int],
                   outputLayout: TensorLayout, epilogue: Epilogue = Epilogue(), threads: Int = 1,
                   kernels: KernelOptions = KernelOptions()) throws -> Tensor {
    var builder = PlanBuilder()
    let models = inputs.enumerated().map { builder.input("x\($0.offset)", $0.element.shape) }
    let refs = zip(models, layouts).enumerated().map { index, pair in
        pair.1 == .nchw ? pair.0
            : builder.step("to_blocked\(index)", .copy, inputs: [pair.0], shape: pair.0.shape, layout: pair.1)
    }
    var out = builder.step("step", op, inputs: refs, shape: outputShape, epilogue: epilogue, layout: outputLayout)
    if outputLayout != .nchw { out = builder.step("to_nchw", .copy, inputs: [out], shape: outputShape) }
    builder.output("y", out)
    return try Session(model: builder.model(), threads: threads, kernels: kernels).run(inputs)[0]
}
