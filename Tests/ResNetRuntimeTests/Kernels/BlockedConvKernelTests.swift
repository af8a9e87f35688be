// The blocked (nChw16c-output) direct convolution vs the Double reference, on every instruction
// set this machine runs, over awkward shapes: NCHW inputs of 3 and 13 channels (the stem's
// path), blocked inputs of 16…64 channels, 1×1/3×3/5×5/7×7 kernels, stride 1 and 2, padding,
// dilation, spatial sizes 1…56 (row tails for every tile width; single-pixel planes only as NCHW inputs), batch 1 and 3, bias, identity
// residuals (also written over the residual itself) and activations; plus bitwise-identical
// results for 1, 2 and 3 threads. Plans reorder to and from nChw16c with `copy` steps.

import ResNetKernelABI
import ResNetRuntime
import Testing

struct BlockedConvCase: CustomTestStringConvertible, Sendable {
    let batch: Int, channels: Int, outChannels: Int, size: Int
    let kernel: Int, stride: Int, padding: Int, dilation: Int
    let blockedInput: Bool, residual: Bool, activation: Activation

    var testDescription: String {
        "n\(batch) c\(channels)\(blockedInput ? "b" : "")→\(outChannels) \(size)x\(size) k\(kernel) s\(stride) p\(padding) d\(dilation)"
            + (residual ? " +res" : "") + " \(activation)"
    }

    var params: Conv2DParams {
        Conv2DParams(kernel: kernel, stride: stride, padding: padding, dilation: dilation, hasBias: true)
    }

    var outSize: Int { (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1 }
}

let blockedConvCases: [BlockedConvCase] = {
    var cases: [BlockedConvCase] = []
    var index = 0
    let activations: [Activation] = [.relu, .identity, .relu, .leakyRelu(slope: 0.1), .relu6, .sigmoid, .silu]
    for (channels, blocked) in [(3, false), (13, false), (16, true), (32, true), (64, true)] {
        for kernel in [1, 3, 5, 7] {
            for size in [1, 7, 14, 15, 29] {
                for stride in [1, 2] {
                    index += 1
                    let padding = kernel == 1 ? (index % 5 == 0 ? 1 : 0) : kernel / 2 + (index % 7 == 0 ? 1 : 0)
                    let dilation = kernel == 3 && index % 6 == 0 ? 2 : 1
                    let outChannels = [16, 32, 48, 64][index % 4]
                    // Squashing activations hide the pre-activation scale the tolerance is for;
                    // keep them to reductions of ≤ 1000 terms (Tolerance.swift's premise).
                    var activation = activations[index % activations.count]
                    if channels * kernel * kernel > 1000, activation == .sigmoid || activation == .silu { activation = .relu }
                    let c = BlockedConvCase(batch: index % 3 == 0 ? 3 : 1, channels: channels, outChannels: outChannels,
                                            size: size, kernel: kernel, stride: stride, padding: padding,
                                            dilation: dilation, blockedInput: blocked, residual: index % 2 == 0,
                                            activation: activation)
                    // The layout rules keep single-pixel planes NCHW (`LayoutRules.canBlock`).
                    let blockable = c.outSize > 1 && (!blocked || size > 1)
                    if size + 2 * padding >= dilation * (kernel - 1) + 1, blockable { cases.append(c) }
                }
            }
        }
    }
    // The ResNet shapes each specialized tile serves (rows of 56, 28, 14, 7 and 4; the stem).
    for (c, o, size, k, s) in [(64, 64, 56, 3, 1), (64, 128, 56, 1, 1), (128, 128, 28, 3, 2), (64, 64, 14, 3, 1),
                               (128, 128, 7, 3, 1), (128, 64, 7, 1, 1), (64, 128, 14, 1, 2), (3, 64, 56, 7, 2),
                               (64, 64, 4, 3, 1), (32, 96, 8, 3, 2)] {
        cases.append(BlockedConvCase(batch: 1, channels: c, outChannels: o, size: size, kernel: k, stride: s,
                                     padding: k / 2, dilation: 1, blockedInput: c % 16 == 0, residual: s == 1 && c == o,
                                     activation: .relu))
    }
    return cases
}()

/// A seeded instance of `c`: its input, weights, bias and residual (when `c.residual`), drawn in
/// that order, and the Double reference's output.
struct BlockedConvProblem {
    let x: Tensor, weight: [Float], bias: [Float], r: Tensor?, expected: RefTensor

    init(_ c: BlockedConvCase, seed: UInt64) {
        var random = SeededRandom(seed: seed)
        x = Tensor(shape: [c.batch, c.channels, c.size, c.size], data: random.floats(c.batch * c.channels * c.size * c.size))
        weight = random.floats(c.outChannels * c.channels * c.kernel * c.kernel)
        bias = random.floats(c.outChannels)
        let shape = [c.batch, c.outChannels, c.outSize, c.outSize]
        r = c.residual ? Tensor(shape: shape, data: random.floats(shape.reduce(1, *))) : nil
        expected = Reference.epilogue(Reference.conv2d(x, weight: weight, bias: bias, outChannels: c.outChannels, c.params),
                                      residual: r.map(ref), c.activation)
    }

    /// Runs `c` on this problem (see `runBlocked`).
    func run(_ c: BlockedConvCase, threads: Int, options: KernelOptions, inPlace: Bool = false) throws -> Tensor {
        try runBlocked(c, x: x, r: r, weight: weight, bias: bias, threads: threads, options: options, inPlace: inPlace)
    }
}

/// Runs `c` as input → (reorder) → blocked conv → reorder → output; `inPlace` writes the conv
/// over its residual.
func runBlocked(_ c: BlockedConvCase, x: Tensor, r: Tensor?, weight: [Float], bias: [Float],
                        threads: Int, options: KernelOptions, inPlace: Bool = false) throws -> Tensor {
    var b = PlanBuilder()
    let xIn = b.input("x", x.shape)
    let rIn = r.map { b.input("r", $0.shape) }
    let xConv = c.blockedInput ? b.step("to_blocked", .copy, inputs: [xIn], shape: x.shape, layout: .nChw16c) : xIn
    let rConv = rIn.map { b.step("r_blocked", .copy, inputs: [$0], shape: $0.shape, layout: .nChw16c) }
    let shape = [c.batch, c.outChannels, c.outSize, c.outSize]
    let epilogue = Epilogue(residual: r == nil ? nil : .identity, activation: c.activation)
    let weights = [b.weight(weight), b.weight(bias)]
    let y: TensorRef
    if inPlace, let rConv {
        b.steps.append(Step(name: "conv", op: .conv2d(c.params), inputs: [xConv, rConv], output: rConv,
                            weights: weights, epilogue: epilogue))
        y = rConv
    } else {
        y = b.step("conv", .conv2d(c.params), inputs: [xConv] + (rConv.map { [$0] } ?? []), shape: shape,
                   weights: weights, epilogue: epilogue, layout: .nChw16c)
    }
    let out = b.step("to_nchw", .copy, inputs: [y], shape: shape)
    b.output("y", out)
    return try Session(model: b.model(), threads: threads, kernels: options).run([x] + (r.map { [$0] } ?? []))[0]
}

@Suite("Blocked conv kernel")
struct BlockedConvKernelTests {
    @Test("matches the reference on every instruction set", arguments: blockedConvCases)
    func matchesReference(_ c: BlockedConvCase) throws {
        let problem = BlockedConvProblem(c, seed: UInt64(c.channels * 1000 + c.kernel * 100 + c.size * 10 + c.stride))
        for isa in KernelISA.available {
            // The direct kernels (Winograd has its own suite below).
            let y = try problem.run(c, threads: 1, options: KernelOptions(isa: isa, schedule: .direct))
            #expect(y.shape == problem.expected.shape)
            expectClose(y.data, problem.expected.data, "\(c.testDescription) \(isa.rawValue)")
        }
    }

    @Test("bitwise identical for 1, 2 and 3 threads, and written over its residual")
    func threadsAndInPlace() throws {
        let c = BlockedConvCase(batch: 3, channels: 32, outChannels: 48, size: 15, kernel: 3, stride: 1, padding: 1,
                                dilation: 1, blockedInput: true, residual: true, activation: .relu)
        var random = SeededRandom(seed: 7)
        let x = Tensor(shape: [3, 32, 15, 15], data: random.floats(3 * 32 * 225))
        let r = Tensor(shape: [3, 48, 15, 15], data: random.floats(3 * 48 * 225))
        let weight = random.floats(48 * 32 * 9), bias = random.floats(48)
        let expected = Reference.epilogue(Reference.conv2d(x, weight: weight, bias: bias, outChannels: 48, c.params),
                                          residual: ref(r), .relu)
        for isa in KernelISA.available {
            let options = KernelOptions(isa: isa)
            let one = try runBlocked(c, x: x, r: r, weight: weight, bias: bias, threads: 1, options: options)
            expectClose(one.data, expected.data, "t1 \(isa.rawValue)")
            for threads in [2, 3] {
                let many = try runBlocked(c, x: x, r: r, weight: weight, bias: bias, threads: threads, options: options)
                #expect(many.data.map(\.bitPattern) == one.data.map(\.bitPattern), "t\(threads) \(isa.rawValue)")
            }
            let inPlace = try runBlocked(c, x: x, r: r, weight: weight, bias: bias, threads: 2, options: options,
                                         inPlace: true)
            #expect(inPlace.data.map(\.bitPattern) == one.data.map(\.bitPattern), "in place \(isa.rawValue)")
        }
    }
    /// Rows of 28, 14 and 7 output pixels, a flat 7×7 plane, and a strided 1×1 conv, flat too
    /// (its one phase plane is the 4×4 output grid): AVX-512 runs its 2 × 14 tiles (two 7-pixel
    /// rows per call at 7×7); AVX2 cuts each row with the fewest FMA cycles, avoiding tails of 1
    /// or 2 pixels (49 = 9 × 5 + 4, and 16 = 6 + 6 + 4 across rows, where rows of 4 would take
    /// 1 × 4 tiles), which have too few accumulators for the FMA latency; the 3×3 convs' rows
    /// wrap where that costs no more: 28 × 28 = 130 × 6 + 4 at pixel offsets (rows of 4 × 6 + 4
    /// cost the same), 14 × 14 = 32 × 6 + 4 (rows of 5 + 5 + 4 the same), 7 × 7 = 9 × 5 + 4
    /// (rows of 4 + 3 more).
    @Test("each instruction set's tile for rows of 28, 14 and 7 pixels and flat planes")
    func rowTiles() throws {
        var b = PlanBuilder()
        var random = SeededRandom(seed: 5)
        let x = b.input("x", [1, 16, 28, 28])
        var y = b.step("to_blocked", .copy, inputs: [x], shape: [1, 16, 28, 28], layout: .nChw16c)
        for (name, c, size, kernel, stride) in [("a", 16, 28, 3, 1), ("b", 32, 28, 3, 2), ("c", 32, 14, 3, 2), ("d", 32, 7, 1, 1),
                                                     ("e", 32, 7, 1, 2)] {
            let params = Conv2DParams(kernel: kernel, stride: stride, padding: kernel / 2, hasBias: true)
            let out = (size + 2 * (kernel / 2) - kernel) / stride + 1
            y = b.step(name, .conv2d(params), inputs: [y], shape: [1, 32, out, out],
                       weights: [b.weight(random.floats(32 * c * kernel * kernel)), b.weight(random.floats(32))],
                       epilogue: Epilogue(activation: .relu), layout: .nChw16c)
        }
        b.output("y", b.step("to_nchw", .copy, inputs: [y], shape: [1, 32, 4, 4]))
        let model = try b.model()
        let input = Tensor(shape: [1, 16, 28, 28], data: random.floats(16 * 28 * 28))
        let expected: [KernelISA: [String]] = [
            .avx512: ["direct-2x14", "direct-2x14", "direct-2x2x7", "direct-2x14", "direct-2x14"],
            .avx2: ["direct-1x6w", "direct-1x6w", "direct-1x5w", "direct-1x5", "direct-1x6"],
            .portable: ["direct-1x2", "direct-1x2", "direct-1x2", "direct-1x2", "direct-1x2"],
        ]
        for isa in KernelISA.available {
            let session = try Session(model: model, threads: 1, kernels: KernelOptions(isa: isa, schedule: .direct),
                                      profiling: .steps)
            _ = try session.run([input])
            #expect(session.profile.filter { $0.kind == .conv }.map(\.kernel) == expected[isa], "\(isa.rawValue)")
        }
    }
}

@Suite("Winograd F(2,3) and F(4,3) conv, and F(2,3) at stride 2")
struct WinogradConvTests {
    /// 3×3 stride-1 convs over blocked tensors, each forced through F(2,3) and F(4,3): padding 1
    /// and 2, sizes that leave clipped edge tiles of either (7, 9, 15, 29), batch 2 and 3,
    /// residuals, and the large-weight path (one chunk per image, output blocks split).
    static let cases: [BlockedConvCase] = [
        BlockedConvCase(batch: 1, channels: 16, outChannels: 32, size: 7, kernel: 3, stride: 1, padding: 1, dilation: 1,
                        blockedInput: true, residual: true, activation: .relu),
        BlockedConvCase(batch: 2, channels: 16, outChannels: 16, size: 9, kernel: 3, stride: 1, padding: 2, dilation: 1,
                        blockedInput: true, residual: false, activation: .leakyRelu(slope: 0.1)),
        BlockedConvCase(batch: 1, channels: 16, outChannels: 16, size: 14, kernel: 3, stride: 1, padding: 1, dilation: 1,
                        blockedInput: true, residual: false, activation: .relu),
        BlockedConvCase(batch: 3, channels: 32, outChannels: 48, size: 15, kernel: 3, stride: 1, padding: 1, dilation: 1,
                        blockedInput: true, residual: true, activation: .relu),
        BlockedConvCase(batch: 1, channels: 64, outChannels: 64, size: 29, kernel: 3, stride: 1, padding: 2, dilation: 1,
                        blockedInput: true, residual: true, activation: .silu),
        BlockedConvCase(batch: 1, channels: 128, outChannels: 128, size: 28, kernel: 3, stride: 1, padding: 1, dilation: 1,
                        blockedInput: true, residual: true, activation: .relu),
        // Large transformed weights: one chunk per image; with fewer images than threads the
        // output blocks split across units that share the pre-pass's transformed input (batch 1
        // on 2 and 3 threads, batch 2 on 3).
        BlockedConvCase(batch: 2, channels: 256, outChannels: 256, size: 14, kernel: 3, stride: 1, padding: 1, dilation: 1,
                        blockedInput: true, residual: true, activation: .relu),
        BlockedConvCase(batch: 1, channels: 256, outChannels: 256, size: 14, kernel: 3, stride: 1, padding: 1, dilation: 1,
                        blockedInput: true, residual: false, activation: .relu),
    ]

    @Test("each variant matches the reference and differs from direct on every instruction set, for 1, 2 and 3 threads",
          arguments: cases)
    func matchesReference(_ c: BlockedConvCase) throws {
        let problem = BlockedConvProblem(c, seed: UInt64(c.channels * 31 + c.size))
        for isa in KernelISA.available {
            let direct = try problem.run(c, threads: 1, options: KernelOptions(isa: isa, schedule: .direct))
            expectClose(direct.data, problem.expected.data, "\(c.testDescription) \(isa.rawValue) direct")
            let variants = try [ConvSchedule.winograd2, .winograd4].map { schedule in
                try Self.expectWinograd(problem, c, isa: isa, schedule: schedule, direct: direct.data,
                                        relative: schedule == .winograd4 ? winogradF4Relative : 1e-5,
                                        alike: [(2, schedule), (3, schedule)])
            }
            #expect(variants[0] != variants[1], "\(c.testDescription) \(isa.rawValue): F(2,3) and F(4,3) both ran")
        }
    }

    /// 3×3 stride-2 convs over blocked tensors forced through F(2,3) at stride 2 (`winograd2`;
    /// `winograd4` binds the same): padding 0, 1 and 2, even and odd sizes whose output leaves a
    /// clipped edge tile (9 → 5 outputs) or whose last input rows no tile reads (6 at padding 0),
    /// batch 2 and 3, residuals, ResNet-50's two shapes (layer2's small weights in chunks; layer3's
    /// large ones in two chunks, on 3 threads also split by outputs that share the pre-pass's
    /// transformed input).
    static let stridedCases: [BlockedConvCase] = [
        BlockedConvCase(batch: 1, channels: 16, outChannels: 32, size: 8, kernel: 3, stride: 2, padding: 1, dilation: 1,
                        blockedInput: true, residual: true, activation: .relu),
        BlockedConvCase(batch: 2, channels: 32, outChannels: 16, size: 9, kernel: 3, stride: 2, padding: 1, dilation: 1,
                        blockedInput: true, residual: false, activation: .leakyRelu(slope: 0.1)),
        BlockedConvCase(batch: 1, channels: 16, outChannels: 16, size: 6, kernel: 3, stride: 2, padding: 0, dilation: 1,
                        blockedInput: true, residual: false, activation: .identity),
        BlockedConvCase(batch: 3, channels: 48, outChannels: 32, size: 15, kernel: 3, stride: 2, padding: 2, dilation: 1,
                        blockedInput: true, residual: true, activation: .silu),
        BlockedConvCase(batch: 1, channels: 64, outChannels: 64, size: 29, kernel: 3, stride: 2, padding: 1, dilation: 1,
                        blockedInput: true, residual: true, activation: .relu),
        BlockedConvCase(batch: 1, channels: 128, outChannels: 128, size: 56, kernel: 3, stride: 2, padding: 1, dilation: 1,
                        blockedInput: true, residual: false, activation: .relu),
        BlockedConvCase(batch: 1, channels: 256, outChannels: 256, size: 28, kernel: 3, stride: 2, padding: 1, dilation: 1,
                        blockedInput: true, residual: false, activation: .relu),
    ]

    @Test("stride 2 matches the reference and differs from direct on every instruction set, for 1, 2 and 3 threads",
          arguments: stridedCases)
    func stridedMatchesReference(_ c: BlockedConvCase) throws {
        let problem = BlockedConvProblem(c, seed: UInt64(c.channels * 37 + c.size))
        for isa in KernelISA.available {
            let direct = try problem.run(c, threads: 1, options: KernelOptions(isa: isa, schedule: .direct))
            _ = try Self.expectWinograd(problem, c, isa: isa, schedule: .winograd2, direct: direct.data,
                                        alike: [(2, .winograd2), (3, .winograd2), (1, .winograd4)])
        }
    }

    /// Runs `c` under `schedule` on 1 thread and expects it within `relative` of the reference,
    /// different from `direct` (so the Winograd kernels ran: they round differently), and the same
    /// bits under each of `alike` (threads, schedule); returns the 1-thread result.
    static func expectWinograd(_ problem: BlockedConvProblem, _ c: BlockedConvCase, isa: KernelISA,
                               schedule: ConvSchedule, direct: [Float], relative: Double = 1e-5,
                               alike: [(threads: Int, schedule: ConvSchedule)],
                               sourceLocation: SourceLocation = #_sourceLocation) throws -> [Float] {
        let label = "\(c.testDescription) \(isa.rawValue) \(schedule.rawValue)"
        let winograd = try problem.run(c, threads: 1, options: KernelOptions(isa: isa, schedule: schedule))
        expectClose(winograd.data, problem.expected.data, label, relative: relative, sourceLocation: sourceLocation)
        #expect(winograd.data != direct, "\(label) ran (its rounding differs from direct)", sourceLocation: sourceLocation)
        for other in alike {
            let run = try problem.run(c, threads: other.threads, options: KernelOptions(isa: isa, schedule: other.schedule))
            #expect(run.data.map(\.bitPattern) == winograd.data.map(\.bitPattern),
                    "\(label): \(other.threads) threads, \(other.schedule.rawValue)", sourceLocation: sourceLocation)
        }
        return winograd.data
    }

    /// `.auto` runs F(4,3) where its transformed weights are at most 1 Mi floats (64 → 64
    /// channels at 56×56), F(2,3) on other maps of 14×14 and more (128 → 256 at 28×28) with
    /// AVX-512, F(4,3) there with narrower vectors (up to 4 Mi floats), and on 7×7 direct with
    /// AVX-512, F(2,3) with narrower vectors. Stride 2 (64 → 128 channels, 56×56 → 28×28): F(2,3)
    /// at stride 2 with narrower vectors, direct with AVX-512; stride 4 is always direct. A named
    /// schedule forces its kernel wherever Winograd applies (a stride-2 conv's one form under
    /// either). On every instruction set this machine runs.
    @Test("the schedule picks each 3x3 conv's kernel")
    func schedules() throws {
        let (model, input) = try Self.convChain(input: [1, 64, 56, 56], seed: 3, [
            ("a", 64, 56, 1), ("b", 128, 56, 2), ("c", 256, 28, 1), ("d", 128, 28, 4), ("e", 128, 7, 1)])
        for isa in KernelISA.available {
            let expected: [ConvSchedule: [String]] = [
                .auto: ["winograd4", isa == .avx512 ? "direct" : "winograd2s2", isa == .avx512 ? "winograd2" : "winograd4",
                        "direct", isa == .avx512 ? "direct" : "winograd2"],
                .direct: ["direct", "direct", "direct", "direct", "direct"],
                .winograd2: ["winograd2", "winograd2s2", "winograd2", "direct", "winograd2"],
                .winograd4: ["winograd4", "winograd2s2", "winograd4", "direct", "winograd4"],
            ]
            for (schedule, kernels) in expected {
                let session = try Session(model: model, threads: 1, kernels: KernelOptions(isa: isa, schedule: schedule),
                                          profiling: .steps)
                _ = try session.run([input])
                let found = session.profile.filter { $0.kind == .conv }.map { String($0.kernel.prefix { $0 != "-" }) }
                #expect(found == kernels, "\(isa.rawValue) \(schedule)")
            }
        }
    }

    /// CIFAR-sized convs under `.auto`: with narrower vectors than 16 floats a single input block
    /// stays direct (16 → 16 at 32×32) and F(4,3) also runs where its 4×4 tiles cover the map
    /// exactly (64 → 64 at 8×8); AVX-512 keeps its rules (F(4,3) from 28×28, direct below 14×14).
    @Test("the schedule on CIFAR-sized maps")
    func cifarSchedules() throws {
        let (model, input) = try Self.convChain(input: [1, 16, 32, 32], seed: 4, [
            ("a", 16, 32, 1), ("b", 32, 32, 2), ("c", 32, 16, 1), ("d", 64, 16, 2), ("e", 64, 8, 1)])
        for isa in KernelISA.available {
            let kernels = isa == .avx512 ? ["winograd4", "direct", "winograd2", "direct", "direct"]
                : ["direct", "direct", "winograd4", "direct", "winograd4"]
            let session = try Session(model: model, threads: 1, kernels: KernelOptions(isa: isa), profiling: .steps)
            _ = try session.run([input])
            let found = session.profile.filter { $0.kind == .conv }.map { String($0.kernel.prefix { $0 != "-" }) }
            #expect(found == kernels, "\(isa.rawValue)")
        }
    }

    /// A chain of blocked 3×3 convs with ReLU, each `(name, output channels, input map side,
    /// stride)`, from an nchw `input` shape, and a seeded input for it.
    static func convChain(input shape: [Int], seed: UInt64, _ convs: [(String, Int, Int, Int)]) throws -> (Model, Tensor) {
        var b = PlanBuilder()
        var random = SeededRandom(seed: seed)
        let x = b.input("x", shape)
        var y = b.step("to_blocked", .copy, inputs: [x], shape: shape, layout: .nChw16c)
        var channels = shape[1], out = shape[2]
        for (name, o, size, stride) in convs {
            out = (size + 2 - 3) / stride + 1
            y = b.step(name, .conv2d(Conv2DParams(kernel: 3, stride: stride, padding: 1, hasBias: true)), inputs: [y],
                       shape: [1, o, out, out], weights: [b.weight(random.floats(o * channels * 9)), b.weight(random.floats(o))],
                       epilogue: Epilogue(activation: .relu), layout: .nChw16c)
            channels = o
        }
        b.output("y", b.step("to_nchw", .copy, inputs: [y], shape: [1, channels, out, out]))
        let count = shape.reduce(1, *)
        return (try b.model(), Tensor(shape: shape, data: random.floats(count)))
    }

    /// ResNet-50's layer3 3×3 conv under F(2,3) (256 channels, 14×14: 49 tiles, 1 Mi floats of
    /// transformed weights): one chunk per image, so with 2 threads and 1 image its output blocks
    /// split in two, and the pre-pass transforms the input once for both halves (V, 16 × 49 ×
    /// 256 floats), leaving the units' scratch only M. With 2 images each unit is an image, which
    /// transforms its own input, and the conv has no pre-pass.
    @Test("units that split a chunk's outputs share one transformed input")
    func sharedInputTransform() {
        let s = ConvShape(batch: 1, inChannels: 256, inHeight: 14, inWidth: 14, outChannels: 256, outHeight: 14,
                          outWidth: 14, kernel: 3, stride: 1, padding: 1, dilation: 1, groups: 1)
        let one = WinogradTiling(shape: s, outputTile: .two, groupBlocks: 2, width: 14, targetUnits: 1)
        let two = WinogradTiling(shape: s, outputTile: .two, groupBlocks: 2, width: 14, targetUnits: 2)
        let cut: [Int] = [one.chunks, one.chunkTiles, one.outSplits, two.outSplits]
        #expect(cut == [1, 49, 1, 2])
        #expect(!one.sharesInput && two.sharesInput)
        // Each of the 16 matrices of 49 · 256 floats (784 lines) is one line longer (odd). Without
        // sharing there is no pre-pass; with it, each of its 16 units (one per input block) has a
        // 4×4 window buffer of 16-float pixels after the shared V, as each unit has in its scratch
        // otherwise.
        #expect(one.prepassFloats(s) == 0)
        #expect(two.prepassFloats(s) == 16 * (49 * 256 + 16) + 16 * 256)
        #expect(one.scratchFloats(s) == 16 * (49 * 256 + 16) * 2 + 256)
        #expect(two.scratchFloats(s) == 16 * (49 * 256 + 16))
        #expect(two.units(s) == 2 && two.unit(1, of: s).groups == 4..<8)
        let batch = ConvShape(batch: 2, inChannels: 256, inHeight: 14, inWidth: 14, outChannels: 256, outHeight: 14,
                              outWidth: 14, kernel: 3, stride: 1, padding: 1, dilation: 1, groups: 1)
        let images = WinogradTiling(shape: batch, outputTile: .two, groupBlocks: 2, width: 14, targetUnits: 2)
        #expect(!images.sharesInput && images.prepassFloats(batch) == 0)
    }

    /// Stride 2 (ResNet-50's layer3.0.conv2: 256 channels, 28×28 → 14×14): 7 × 7 tiles of 2×2
    /// outputs, each from a 5×5 window 4 pixels from the next; 25 products over 16 distinct
    /// weight matrices (the odd samples x1 and x3 of an axis share its middle tap). The first
    /// row and column of windows start in the padding, the last ends on the input's last pixel.
    /// At padding 0 a 6×6 input gives one tile whose window, inside the input, stops before its
    /// last row and column.
    @Test("stride 2: tiles, windows and the weight matrices products read")
    func stridedGeometry() {
        let s = ConvShape(batch: 1, inChannels: 256, inHeight: 28, inWidth: 28, outChannels: 256, outHeight: 14,
                          outWidth: 14, kernel: 3, stride: 2, padding: 1, dilation: 1, groups: 1)
        let t = WinogradTiling(shape: s, outputTile: .two, groupBlocks: 1, width: 6, targetUnits: 2)
        let geometry: [Int] = [t.inputTile, t.tileStep, t.tilesHigh, t.tilesWide, t.windowFloats]
        #expect(geometry == [5, 4, 7, 7, 25 * 16])
        #expect(t.window(0, of: s) == (-1, -1) && t.window(8, of: s) == (3, 3) && t.window(48, of: s) == (23, 23))
        #expect(t.products == 25 && t.weightMatrices == 16 && t.packedWeightFloats(s) == 16 * 256 * 256)
        #expect((0..<5).map { t.weightMatrix($0) } == [0, 1, 2, 3, 3])
        #expect((0..<5).map { t.weightMatrix(5 * $0 + 1) } == [1, 5, 9, 13, 13])
        #expect(Set((0..<25).map { t.weightMatrix($0) }) == Set(0..<16) && t.weightMatrix(25) == 16)
        // 16 · 65536 floats of weights are large: chunks of up to 512 Ki floats of scratch at 25 ·
        // 512 floats a tile, so two (4 widths, then 4 and the last tile), one per worker; a
        // third worker splits the outputs as well, sharing the pre-pass's transformed input.
        #expect(t.chunks == 2 && t.chunkRange(0) == 0..<24 && t.chunkRange(1) == 24..<49 && t.outSplits == 1)
        let three = WinogradTiling(shape: s, outputTile: .two, groupBlocks: 1, width: 6, targetUnits: 3)
        #expect(three.outSplits == 2 && three.sharesInput && three.units(s) == 4)
        let edge = ConvShape(batch: 1, inChannels: 16, inHeight: 6, inWidth: 6, outChannels: 16, outHeight: 2,
                             outWidth: 2, kernel: 3, stride: 2, padding: 0, dilation: 1, groups: 1)
        let e = WinogradTiling(shape: edge, outputTile: .two, groupBlocks: 1, width: 6)
        #expect(e.tiles == 1 && e.window(0, of: edge) == (0, 0))
        let stride1 = WinogradTiling(shape: ConvShape(batch: 1, inChannels: 256, inHeight: 14, inWidth: 14, outChannels: 256,
                                                      outHeight: 14, outWidth: 14, kernel: 3, stride: 1, padding: 1,
                                                      dilation: 1, groups: 1), outputTile: .four, groupBlocks: 1, width: 6)
        #expect(stride1.weightMatrices == 36 && stride1.weightMatrix(35) == 35 && stride1.tileStep == 4)
    }

    /// A tile's α² transformed inputs (and products) lie one matrix apart: an odd number of
    /// cache lines, so they fall in α² different L1 sets (32 KiB of 8 ways: 64 sets). Layer3 of
    /// ResNet-50 under F(4,3) (16 tiles of 256 channels, matrices 16 KiB apart before) and
    /// layer4 under F(2,3) (32 KiB) had every value of a tile in one set. Each shape's stride-2
    /// twin (twice the input side, 25 matrices) too.
    @Test("the α² matrices of a tile fall in distinct L1 sets",
          arguments: [(256, 14, WinogradOutputTile.four), (512, 7, .two), (64, 56, .four), (128, 28, .four),
                      (64, 8, .four), (32, 16, .four), (16, 32, .two), (48, 15, .four)])
    func matricesInDistinctSets(_ cut: (Int, Int, WinogradOutputTile)) {
        let (channels, size, tile) = cut
        let s = ConvShape(batch: 1, inChannels: channels, inHeight: size, inWidth: size, outChannels: channels,
                          outHeight: size, outWidth: size, kernel: 3, stride: 1, padding: 1, dilation: 1, groups: 1)
        let strided = ConvShape(batch: 1, inChannels: channels, inHeight: 2 * size, inWidth: 2 * size,
                                outChannels: channels, outHeight: size, outWidth: size, kernel: 3, stride: 2, padding: 1,
                                dilation: 1, groups: 1)
        for (shape, tile) in [(s, tile), (strided, .two)] {
            distinctSets(shape, tile, "\(channels), \(size), stride \(shape.stride)")
        }
    }

    private func distinctSets(_ s: ConvShape, _ tile: WinogradOutputTile, _ label: String) {
        for (groupBlocks, width, workers) in [(1, 6, 1), (1, 6, 2), (2, 14, 1), (2, 14, 2)] {
            let t = WinogradTiling(shape: s, outputTile: tile, groupBlocks: groupBlocks, width: width,
                                   targetUnits: workers)
            for stride in [t.inputMatrixFloats(s), t.productMatrixFloats(s)] {
                let sets = Set((0..<t.products).map { $0 * stride / 16 % 64 })
                #expect(stride % 16 == 0 && sets.count == t.products, "\(label), \(groupBlocks)x\(width)")
            }
        }
    }

    /// ResNet-50's layer1 3×3 conv under F(4,3) with 6-tile products (AVX2): 196 tiles of 32
    /// whole widths and 4 more. Its scratch fits 30 tiles, so 7 chunks for one worker; for two,
    /// 8 (a 4 : 3 split of 7 left one idle for a seventh of the step), each 4 widths, the last
    /// also the 4 tiles left over. Two images already make 14 units, three would make 21.
    @Test("an image's chunks are whole tile widths, as many as the workers share evenly")
    func evenChunks() {
        func shape(batch: Int, size: Int) -> ConvShape {
            ConvShape(batch: batch, inChannels: 64, inHeight: size, inWidth: size, outChannels: 64, outHeight: size,
                      outWidth: size, kernel: 3, stride: 1, padding: 1, dilation: 1, groups: 1)
        }
        let s = shape(batch: 1, size: 56)
        let one = WinogradTiling(shape: s, outputTile: .four, groupBlocks: 1, width: 6, targetUnits: 1)
        #expect((0..<one.chunks).map { one.chunkRange($0).lowerBound } == [0, 24, 54, 78, 108, 132, 162])
        #expect(one.chunkRange(6) == 162..<196 && one.chunkTiles == 34)
        let two = WinogradTiling(shape: s, outputTile: .four, groupBlocks: 1, width: 6, targetUnits: 2)
        #expect((0..<two.chunks).map { two.chunkRange($0).count } == [24, 24, 24, 24, 24, 24, 24, 28])
        #expect(two.chunkTiles == 28 && two.units(s) == 8 && two.unit(7, of: s).tiles == 168..<196)
        let pair = shape(batch: 2, size: 56), three = shape(batch: 3, size: 56)
        #expect(WinogradTiling(shape: pair, outputTile: .four, groupBlocks: 1, width: 6, targetUnits: 2).chunks == 7)
        #expect(WinogradTiling(shape: three, outputTile: .four, groupBlocks: 1, width: 6, targetUnits: 2).chunks == 8)
        // Fewer tiles than one width (7×7: 4 tiles): one chunk of them all, whatever the workers.
        let seven = shape(batch: 1, size: 7)
        let small = WinogradTiling(shape: seven, outputTile: .four, groupBlocks: 1, width: 6, targetUnits: 2)
        #expect(small.chunks == 1 && small.chunkTiles == 4 && small.chunkRange(0) == 0..<4)
        #expect(small.outSplits == 2 && small.units(seven) == 2, "too few chunks for two workers: the outputs split")
    }

    /// CIFAR-sized maps (AVX2 widths): 16 tiles at 16×16 are two widths and four more, so two
    /// chunks would split 6 : 10; 4 tiles at 8×8 are less than a width. Both keep one chunk per
    /// image and split their output blocks over the workers instead, sharing one transformed input.
    @Test("small maps split their outputs, not their tiles, over the workers")
    func smallMaps() {
        func shape(channels: Int, size: Int) -> ConvShape {
            ConvShape(batch: 1, inChannels: channels, inHeight: size, inWidth: size, outChannels: channels,
                      outHeight: size, outWidth: size, kernel: 3, stride: 1, padding: 1, dilation: 1, groups: 1)
        }
        for (channels, size, splits) in [(32, 16, 2), (64, 8, 3)] {
            let s = shape(channels: channels, size: size)
            let one = WinogradTiling(shape: s, outputTile: .four, groupBlocks: 1, width: 6, targetUnits: 1)
            #expect(one.chunks == 1 && one.outSplits == 1 && !one.sharesInput, "\(channels), \(size)")
            let many = WinogradTiling(shape: s, outputTile: .four, groupBlocks: 1, width: 6, targetUnits: splits)
            #expect(many.chunks == 1 && many.outSplits == splits && many.sharesInput, "\(channels), \(size)")
            #expect(many.units(s) == splits, "\(channels), \(size)")
        }
    }
}

@Suite("Blocked conv written over its own input")
struct BlockedInPlaceConvTests {
    /// A 1×1 conv (32 → 16 and 64 → 48 channels, 15×15 and 7×7) whose nChw16c output starts at
    /// its nChw16c input, as the memory planner places ResNet-50's reductions: every tile is
    /// computed for all output blocks before any is stored.
    @Test("matches the reference on every instruction set, bitwise the same for 1, 2 and 3 threads",
          arguments: [(32, 16, 15), (64, 48, 7)])
    func inPlace(_ dims: (Int, Int, Int)) throws {
        let (c, o, size) = dims
        var random = SeededRandom(seed: UInt64(c * 100 + o))
        let x = Tensor(shape: [1, c, size, size], data: random.floats(c * size * size))
        let weight = random.floats(o * c), bias = random.floats(o)
        let params = Conv2DParams(kernel: 1, hasBias: true)
        let expected = Reference.epilogue(Reference.conv2d(x, weight: weight, bias: bias, outChannels: o, params),
                                          residual: nil, .relu)
        for isa in KernelISA.available {
            var results: [[Float]] = []
            for threads in [1, 2, 3] {
                var b = PlanBuilder()
                let xIn = b.input("x", x.shape)
                let xb = b.step("to_blocked", .copy, inputs: [xIn], shape: x.shape, layout: .nChw16c)
                let y = TensorRef(offset: xb.offset, shape: [1, o, size, size], layout: .nChw16c)
                b.steps.append(Step(name: "conv", op: .conv2d(params), inputs: [xb], output: y,
                                    weights: [b.weight(weight), b.weight(bias)], epilogue: Epilogue(activation: .relu)))
                #expect(PlanValidator.isPointwisePrefix(b.steps.last!))
                let out = b.step("to_nchw", .copy, inputs: [y], shape: y.shape)
                b.output("y", out)
                let result = try Session(model: b.model(), threads: threads, kernels: KernelOptions(isa: isa)).run([x])[0]
                expectClose(result.data, expected.data, "\(dims) \(isa.rawValue) t\(threads)")
                results.append(result.data)
            }
            #expect(Set(results.map { $0.map(\.bitPattern) }).count == 1, "\(dims) \(isa.rawValue): threads agree")
        }
    }
}
