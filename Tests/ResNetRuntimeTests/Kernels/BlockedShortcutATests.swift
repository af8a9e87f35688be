// The option-A residual of a blocked conv, element by element: a conv with zero weights and no
// bias stores exactly its residual, so the output must equal the reference shortcut bit for bit,
// for every channel padding (none, half a block, a block, a block and a half), stride 1 and 2
// over odd maps, the direct and the Winograd kernels, on every instruction set the machine runs.

import ResNetRuntime
import Testing

@Suite("Blocked option-A residuals")
struct BlockedShortcutATests {
    /// (input channels, output channels, stride, kernel, height, width).
    @Test(arguments: [(16, 16, 2, 1, 5, 7), (16, 32, 2, 3, 9, 9), (32, 64, 1, 3, 8, 8), (16, 64, 2, 1, 5, 7),
                      (32, 32, 1, 3, 7, 7), (32, 48, 2, 3, 15, 15)])
    func zeroConvStoresTheResidual(_ dims: (Int, Int, Int, Int, Int, Int)) throws {
        let (c, o, s, k, h, w) = dims
        var random = SeededRandom(seed: UInt64(c * o + s * k + h))
        let x = Tensor(shape: [2, c, h, w], data: random.floats(2 * c * h * w))
        let expected = Reference.shortcutA(ref(x), outChannels: o, stride: s)
        for isa in KernelISA.available {
            for threads in [1, 2] {
                var b = PlanBuilder()
                let image = b.input("x", x.shape)
                let blocked = b.step("to_blocked", .copy, inputs: [image], shape: x.shape, layout: .nChw16c)
                let conv = StepOp.conv2d(Conv2DParams(kernel: k, stride: s, padding: k / 2, hasBias: false))
                let y = b.step("conv", conv, inputs: [blocked, blocked], shape: expected.shape,
                               weights: [b.weight([Float](repeating: 0, count: o * c * k * k))],
                               epilogue: Epilogue(residual: .shortcutA(stride: s)), layout: .nChw16c)
                b.output("y", b.step("to_nchw", .copy, inputs: [y], shape: expected.shape))
                let out = try Session(model: b.model(), threads: threads, kernels: KernelOptions(isa: isa)).run([x])[0]
                #expect(out.shape == expected.shape)
                #expect(out.data.map(Double.init) == expected.data, "\(isa), \(threads) threads, \(dims)")
            }
        }
    }
}
