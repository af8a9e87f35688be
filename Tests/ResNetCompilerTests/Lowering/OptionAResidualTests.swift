// Blocked convs with option-A residuals (the input subsampled, its channels zero-padded): the
// step made blocked first by BlockedShortcutAKernel, then added by the tile epilogues like an
// identity residual. Every padding kind (none, half a block, one block, one and a half), stride
// 1 and 2 over an odd map, the direct and the Winograd kernels, a batch of 2, against the
// reference interpreter on every instruction set the machine runs, 1, 2 (image lanes) and 3
// threads bit for bit. (BlockedShortcutATests checks the made residual element by element.)
import Testing
import ResNetCompiler
import ResNetRuntime

@Suite("Option-A residuals on blocked convs")
struct OptionAResidualTests {
    static let source = """
        input image: 2x16x15x15
        defaults conv(bias: true)
        a = c0: conv(image, 16, kernel: 3, pad: 1) -> relu
        y1 = c1: conv(a, 32, kernel: 3, stride: 2, pad: 1)
        r1 = relu(y1 + shortcut_a(a, 32, stride: 2))
        y2 = c2: conv(r1, 64, kernel: 3, pad: 1)
        r2 = relu(y2 + shortcut_a(r1, 64))
        y3 = c3: conv(a, 64, kernel: 3, pad: 1)
        r3 = relu(y3 + shortcut_a(a, 64))
        y4 = c4: conv(r3, 64, kernel: 3, stride: 2, pad: 1)
        r4 = relu(y4 + shortcut_a(r3, 64, stride: 2))
        y5 = c5: conv(r2, 64, kernel: 3, pad: 1)
        r5 = relu(y5 + r4)
        output logits = fc: linear(flatten(global_avgpool(r5)), 10)
        """

    /// conv → (stride, channel padding) of its option-A residual.
    static let residuals: [String: (stride: Int, pad: Int)] = [
        "c1": (2, 8), "c2": (1, 16), "c3": (1, 24), "c4": (2, 0),
    ]

    @Test func layoutsAndResultsOnEveryISA() throws {
        let compilation = try Compiler.compile(source: Self.source, fileName: "option_a.net", options: CompileOptions(seed: 3))
        let plan = compilation.lowered.plan
        for step in plan.steps {
            guard case .conv2d = step.op else { continue }
            #expect(step.output.layout == .nChw16c, "\(step.name)")
            if let expected = Self.residuals[step.name] {
                guard case .shortcutA(let stride) = step.epilogue.residual, let source = step.inputs.last else {
                    Issue.record("\(step.name): no option-A residual")
                    continue
                }
                #expect(stride == expected.stride, "\(step.name)")
                #expect((step.output.shape[1] - source.shape[1]) / 2 == expected.pad, "\(step.name)")
                #expect(source.layout == .nChw16c, "\(step.name)")
            }
        }
        let input = WeightInitializer.makeInput(shape: plan.inputs[0].tensor.shape, seed: 11)
        let expected = try ReferenceInterpreter.run(compilation.sourceGraph, inputs: [input])[0]
        let model = try Model(bytes: try compilation.encoded())
        for isa in KernelISA.available {
            let one = try Session(model: model, threads: 1, kernels: KernelOptions(isa: isa)).run([input])[0]
            #expect(maxAbsDifference(one, expected) <= 1e-5 * maxAbs(expected), "\(isa)")
            for threads in [2, 3] {
                let many = try Session(model: model, threads: threads, kernels: KernelOptions(isa: isa)).run([input])[0]
                #expect(one.data == many.data, "\(isa): 1 and \(threads) threads differ")
            }
            // The direct kernels everywhere: the residual reaches their epilogue the same way.
            var direct = KernelOptions(isa: isa)
            direct.schedule = .direct
            let plain = try Session(model: model, threads: 2, kernels: direct).run([input])[0]
            #expect(maxAbsDifference(plain, expected) <= 1e-5 * maxAbs(expected), "\(isa), direct")
        }
    }
}
