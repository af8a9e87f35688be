// The loop orders around the blocked conv's register tiles (`BlockedConvTuning`), each forced
// onto small shapes: reductions split into passes (partial sums in scratch), pixels-first units,
// per-block weight streams. Against the reference on every instruction set; bitwise the same for
// 1, 2 and 3 threads, over the conv's residual and (1×1) over its own input; and where the
// order of the sums is untouched (streams, unit order), bitwise the same as the plain order.

import ResNetRuntime
import Testing

@Suite("Blocked conv loop orders")
struct BlockedLoopOrderTests {
    static let cases: [BlockedConvCase] = [
        // Flat 1×1 (5 input blocks: passes of 3 + 2 on AVX-512), batch 3, over a residual.
        BlockedConvCase(batch: 3, channels: 80, outChannels: 48, size: 15, kernel: 1, stride: 1, padding: 0, dilation: 1,
                        blockedInput: true, residual: true, activation: .relu),
        // 3×3 on a 7×7 map (two-row tiles and their tail).
        BlockedConvCase(batch: 1, channels: 80, outChannels: 32, size: 7, kernel: 3, stride: 1, padding: 1, dilation: 1,
                        blockedInput: true, residual: true, activation: .relu6),
        // Strided 3×3 (phase-split input), batch 2.
        BlockedConvCase(batch: 2, channels: 48, outChannels: 64, size: 15, kernel: 3, stride: 2, padding: 1, dilation: 1,
                        blockedInput: true, residual: false, activation: .silu),
        // Strided 3×3 onto 7-pixel rows (AVX2: calls wrap across rows), batch 2.
        BlockedConvCase(batch: 2, channels: 48, outChannels: 32, size: 13, kernel: 3, stride: 2, padding: 1, dilation: 1,
                        blockedInput: true, residual: true, activation: .relu),
        // Strided 1×1 (a downsample).
        BlockedConvCase(batch: 1, channels: 64, outChannels: 32, size: 14, kernel: 1, stride: 2, padding: 0, dilation: 1,
                        blockedInput: true, residual: true, activation: .identity),
        // The stem's NCHW input (one reduction block: never split).
        BlockedConvCase(batch: 1, channels: 3, outChannels: 32, size: 29, kernel: 7, stride: 2, padding: 3, dilation: 1,
                        blockedInput: false, residual: false, activation: .relu),
    ]

    /// Each loop order forced, by name; `sameSums`: the sums run in the plain order.
    static func tunings(_ c: BlockedConvCase) -> [(name: String, tuning: BlockedConvTuning, sameSums: Bool)] {
        let pixelsFirst = BlockedConvTuning(pixelMajorWeightBytes: .max, pixelMajorInputBytes: 0, pixelChunkBytes: 1)
        var everything = pixelsFirst
        everything.splitAboveBytes = 0
        everything.stridedSplitAboveBytes = 0
        everything.splitSliceBytes = 1
        everything.stridedSliceBytes = 1
        return [
            ("defaults", BlockedConvTuning(), false),
            ("streams", BlockedConvTuning(splitAboveBytes: .max, stridedSplitAboveBytes: .max, pixelMajorWeightBytes: 0),
             true),
            ("pixels first", pixelsFirst, false),
            ("pixels first, no streams, no split",
             BlockedConvTuning(splitAboveBytes: .max, stridedSplitAboveBytes: .max, pixelMajorWeightBytes: .max,
                               pixelMajorInputBytes: 0, pixelChunkBytes: 1, blockStreams: false), true),
            ("split by one block", .split(above: 0, slice: 1), false),
            ("split by about three blocks", .split(above: 0, slice: 3 * c.kernel * c.kernel * 2 << 10), false),
            ("split, pixels first", everything, false),
        ]
    }

    @Test("every order matches the reference, for any thread count and in place", arguments: cases)
    func everyOrder(_ c: BlockedConvCase) throws {
        let problem = BlockedConvProblem(c, seed: UInt64(c.channels * 7 + c.size))
        let (x, weight, bias, r, expected) = (problem.x, problem.weight, problem.bias, problem.r, problem.expected)
        for isa in KernelISA.available {
            let plain = try runBlocked(c, x: x, r: r, weight: weight, bias: bias, threads: 1,
                                       options: KernelOptions(isa: isa, blocked: .plain))
            expectClose(plain.data, expected.data, "plain \(isa.rawValue)")
            for (name, tuning, sameSums) in Self.tunings(c) {
                let label = "\(c.testDescription) \(name) \(isa.rawValue)"
                let options = KernelOptions(isa: isa, blocked: tuning)
                let one = try runBlocked(c, x: x, r: r, weight: weight, bias: bias, threads: 1, options: options)
                expectClose(one.data, expected.data, label)
                if sameSums { #expect(one.data.map(\.bitPattern) == plain.data.map(\.bitPattern), "\(label): as plain") }
                for threads in [2, 3] {
                    let many = try runBlocked(c, x: x, r: r, weight: weight, bias: bias, threads: threads, options: options)
                    #expect(many.data.map(\.bitPattern) == one.data.map(\.bitPattern), "\(label) t\(threads)")
                }
                if r != nil {
                    let over = try runBlocked(c, x: x, r: r, weight: weight, bias: bias, threads: 2, options: options,
                                              inPlace: true)
                    #expect(over.data.map(\.bitPattern) == one.data.map(\.bitPattern), "\(label) over its residual")
                }
            }
        }
    }

    /// A map that one register tile covers (3×3 on 2×2, as ResBlock6's 1024-channel convs)
    /// reuses no weight slice across tiles, so a split is never made: forced splits give the
    /// bits of one pass. (The portable module's generic kernel takes 2 pixels a call, so there
    /// the map is two tiles and may split.)
    @Test("a map one tile covers runs in one pass, whatever split is asked for")
    func oneTileNeverSplits() throws {
        let c = BlockedConvCase(batch: 1, channels: 96, outChannels: 32, size: 2, kernel: 3, stride: 1, padding: 1,
                                dilation: 1, blockedInput: true, residual: true, activation: .relu)
        var random = SeededRandom(seed: 11)
        let x = Tensor(shape: [1, 96, 2, 2], data: random.floats(96 * 4))
        let weight = random.floats(32 * 96 * 9), bias = random.floats(32)
        let r = Tensor(shape: [1, 32, 2, 2], data: random.floats(32 * 4))
        let expected = Reference.epilogue(Reference.conv2d(x, weight: weight, bias: bias, outChannels: 32, c.params),
                                          residual: ref(r), c.activation)
        for isa in KernelISA.available where isa != .portable {
            let onePass = try runBlocked(c, x: x, r: r, weight: weight, bias: bias, threads: 1,
                                         options: KernelOptions(isa: isa, blocked: .plain))
            expectClose(onePass.data, expected.data, "one pass \(isa.rawValue)")
            for tuning in [BlockedConvTuning(), .split(above: 0, slice: 1), .split(above: 0, slice: 2 * 9 << 10)] {
                let split = try runBlocked(c, x: x, r: r, weight: weight, bias: bias, threads: 2,
                                           options: KernelOptions(isa: isa, blocked: tuning))
                #expect(split.data.map(\.bitPattern) == onePass.data.map(\.bitPattern), "\(isa.rawValue) \(tuning)")
            }
        }
    }

    /// A 1×1 conv written over its own input (the in-place variant) sums in the same passes as
    /// the out-of-place one, so the memory plan never changes a result.
    @Test("a 1×1 conv over its own input sums as the out-of-place one, split or not")
    func overItsInput() throws {
        let c = BlockedConvCase(batch: 1, channels: 80, outChannels: 48, size: 7, kernel: 1, stride: 1, padding: 0,
                                dilation: 1, blockedInput: true, residual: false, activation: .relu)
        var random = SeededRandom(seed: 5)
        let x = Tensor(shape: [1, 80, 7, 7], data: random.floats(80 * 49))
        let weight = random.floats(48 * 80), bias = random.floats(48)
        for isa in KernelISA.available {
            for (name, tuning, _) in Self.tunings(c) {
                let options = KernelOptions(isa: isa, blocked: tuning)
                let apart = try runBlocked(c, x: x, r: nil, weight: weight, bias: bias, threads: 1, options: options)
                var b = PlanBuilder()
                let xIn = b.input("x", x.shape)
                let xb = b.step("to_blocked", .copy, inputs: [xIn], shape: x.shape, layout: .nChw16c)
                let y = TensorRef(offset: xb.offset, shape: [1, 48, 7, 7], layout: .nChw16c)
                b.steps.append(Step(name: "conv", op: .conv2d(c.params), inputs: [xb], output: y,
                                    weights: [b.weight(weight), b.weight(bias)], epilogue: Epilogue(activation: .relu)))
                #expect(PlanValidator.isPointwisePrefix(b.steps.last!))
                b.output("y", b.step("to_nchw", .copy, inputs: [y], shape: y.shape))
                for threads in [1, 2] {
                    let over = try Session(model: b.model(), threads: threads, kernels: options).run([x])[0]
                    #expect(over.data.map(\.bitPattern) == apart.data.map(\.bitPattern), "\(name) \(isa.rawValue) t\(threads)")
                }
            }
        }
    }
}
