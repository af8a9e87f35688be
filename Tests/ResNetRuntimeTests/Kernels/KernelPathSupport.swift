// Runs single-step plans under forced kernel options (instruction set, conv algorithm), so kernel
// tests can cover every path this machine can execute.

import ResNetRuntime

/// Every (instruction set, conv algorithm) pair this CPU can run.
let executableKernelPaths: [KernelOptions] = KernelISA.available.flatMap { isa in
    ConvAlgorithm.allCases.map { KernelOptions(isa: isa, convAlgorithm: $0) }
}

extension KernelOptions {
    /// `isa/algorithm`, for test messages.
    var label: String { "\(isa?.rawValue ?? "auto")/\(convAlgorithm?.rawValue ?? "auto")" }
}

/// Runs a one-step plan (inputs given, one output of `outputShape`) with `options`.
func runStep(_ op: StepOp, inputs: [Tensor], outputShape: [Int], weights: [[Float]], epilogue: Epilogue = Epilogue(),
             threads: Int = 1, options: KernelOptions) throws -> Tensor {
    var builder = PlanBuilder()
    let refs = inputs.enumerated().map { builder.input("x\($0.offset)", $0.element.shape) }
    let weightRefs = weights.map { builder.weight($0) }
    let out = builder.step("step", op, inputs: refs, shape: outputShape, weights: weightRefs, epilogue: epilogue)
    builder.output("y", out)
    return try Session(model: builder.model(), threads: threads, kernels: options).run(inputs)[0]
}
