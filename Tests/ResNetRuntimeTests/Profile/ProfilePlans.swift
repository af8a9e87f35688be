// A two-image plan touching most step kinds, for the profiling tests; every step has enough
// work units to be split over several workers.

import ResNetRuntime

/// conv3x3 → scale_shift → grouped strided conv with option-A residual → add → relu →
/// avg pool → global pool → flatten → linear → softmax, batch 2; and a matching input.
func profiledPlan() throws -> (Model, Tensor) {
    var random = SeededRandom(seed: 7)
    var b = PlanBuilder()
    b.name = "profiled"
    let x = b.input("x", [2, 16, 12, 12])
    let c1 = b.step("conv1", .conv2d(Conv2DParams(kernel: 3, padding: 1, hasBias: true)), inputs: [x],
                    shape: [2, 32, 12, 12], weights: [b.weight(random.floats(32 * 16 * 9)), b.weight(random.floats(32))],
                    epilogue: Epilogue(activation: .silu))
    let bn = b.step("bn", .scaleShift, inputs: [c1], shape: [2, 32, 12, 12],
                    weights: [b.weight(random.floats(32)), b.weight(random.floats(32))])
    let c2 = b.step("conv2", .conv2d(Conv2DParams(kernel: 3, stride: 2, padding: 1, groups: 4, hasBias: false)),
                    inputs: [bn, x], shape: [2, 32, 6, 6], weights: [b.weight(random.floats(32 * 8 * 9))],
                    epilogue: Epilogue(residual: .shortcutA(stride: 2), activation: .relu))
    let sum = b.step("add", .add, inputs: [c2, c2], shape: [2, 32, 6, 6])
    let relu = b.step("relu", .activation, inputs: [sum], shape: [2, 32, 6, 6], epilogue: Epilogue(activation: .relu))
    let pool = b.step("avg", .avgPool(PoolParams(kernel: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false)),
                      inputs: [relu], shape: [2, 32, 4, 4])
    let gap = b.step("gap", .globalAvgPool, inputs: [pool], shape: [2, 32, 1, 1])
    let flat = b.step("flatten", .copy, inputs: [gap], shape: [2, 32])
    let fc = b.step("fc", .linear(hasBias: true), inputs: [flat], shape: [2, 10],
                    weights: [b.weight(random.floats(320)), b.weight(random.floats(10))])
    b.output("probabilities", b.step("softmax", .softmax, inputs: [fc], shape: [2, 10]))
    return (try b.model(), Tensor(shape: [2, 16, 12, 12], data: random.floats(2 * 16 * 144)))
}
