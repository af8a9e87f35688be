// Which NCHW method each conv gets (the profile names it): a single-channel input with many
// output channels (an MNIST stem) runs implicit GEMM over its taps, depthwise convs and groups
// of one input and a few outputs run the direct plane kernel, 1×1 stride-1 convs pointwise GEMM.

import ResNetRuntime
import Testing

@Suite("NCHW conv methods")
struct ConvChooserTests {
    @Test("single-channel stems reduce over their taps; depthwise convs stay direct")
    func methods() throws {
        var b = PlanBuilder()
        var random = SeededRandom(seed: 8)
        let x = b.input("x", [1, 1, 28, 28])
        let stem = b.step("stem", .conv2d(Conv2DParams(kernel: 5, padding: 2, hasBias: true)), inputs: [x],
                          shape: [1, 20, 28, 28], weights: [b.weight(random.floats(20 * 25)), b.weight(random.floats(20))])
        let depthwise = b.step("depthwise", .conv2d(Conv2DParams(kernel: 3, padding: 1, groups: 20, hasBias: false)),
                               inputs: [stem], shape: [1, 20, 28, 28], weights: [b.weight(random.floats(20 * 9))])
        let doubled = b.step("doubled", .conv2d(Conv2DParams(kernel: 3, padding: 1, groups: 20, hasBias: false)),
                             inputs: [depthwise], shape: [1, 40, 28, 28], weights: [b.weight(random.floats(40 * 9))])
        let pointwise = b.step("pointwise", .conv2d(Conv2DParams(kernel: 1, hasBias: false)), inputs: [doubled],
                               shape: [1, 24, 28, 28], weights: [b.weight(random.floats(24 * 40))])
        b.output("y", pointwise)
        let model = try b.model()
        let input = Tensor(shape: [1, 1, 28, 28], data: random.floats(28 * 28))
        for isa in KernelISA.available {
            let session = try Session(model: model, threads: 1, kernels: KernelOptions(isa: isa), profiling: .steps)
            _ = try session.run([input])
            #expect(session.profile.map(\.kernel) == ["implicit-gemm", "direct-plane", "direct-plane", "pointwise-gemm"],
                    "\(isa.rawValue)")
        }
    }
}
