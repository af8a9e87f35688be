// Stored per-step tunings (`Step.tuning`, written by `resnetc tune`): they pick the kernel a
// session binds unless a forced schedule says otherwise, keep results within the kernels'
// tolerance and bitwise the same for any thread count, round-trip through the plan, and are
// validated; the tuner times only the choices that change a conv and stores its winners.

import Foundation
import ResNetRuntime
import Testing

@Suite("Step tunings")
struct StepTuningTests {
    /// Three blocked convs: a 3×3 64 → 64 at 28×28 (F(4,3) by default), a 1×1 64 → 128 (one
    /// reduction pass whatever the slice) and a 3×3 128 → 128 at 7×7 (with AVX-512 direct, its
    /// reduction split in passes of one input block; with 8-float vectors F(2,3)).
    static func model() throws -> (Model, Tensor) {
        var b = PlanBuilder()
        var random = SeededRandom(seed: 11)
        let x = b.input("x", [1, 64, 28, 28])
        var y = b.step("to_blocked", .copy, inputs: [x], shape: [1, 64, 28, 28], layout: .nChw16c)
        for (name, c, o, size, kernel, stride) in [("a", 64, 64, 28, 3, 1), ("b", 64, 128, 28, 1, 4), ("c", 128, 128, 7, 3, 1)] {
            let params = Conv2DParams(kernel: kernel, stride: stride, padding: kernel / 2, hasBias: true)
            let out = (size + 2 * (kernel / 2) - kernel) / stride + 1
            y = b.step(name, .conv2d(params), inputs: [y], shape: [1, o, out, out],
                       weights: [b.weight(random.floats(o * c * kernel * kernel)), b.weight(random.floats(o))],
                       epilogue: Epilogue(activation: .relu), layout: .nChw16c)
        }
        b.output("y", b.step("to_nchw", .copy, inputs: [y], shape: [1, 128, 7, 7]))
        return (try b.model(), Tensor(shape: [1, 64, 28, 28], data: random.floats(64 * 28 * 28)))
    }

    /// The default kernel of conv c (7×7) on this machine's instruction set.
    static let sevenBySeven: Substring = KernelISA.preferred == .avx512 ? "direct" : "winograd2"

    /// The kernel label of each conv in one profiled run.
    static func kernels(_ model: Model, _ input: Tensor, options: KernelOptions = KernelOptions()) throws -> [String] {
        let session = try Session(model: model, threads: 1, kernels: options, profiling: .steps)
        _ = try session.run([input])
        return session.profile.filter { $0.kind == .conv }.map(\.kernel)
    }

    @Test("a stored tuning picks the kernel; a forced schedule wins over it")
    func binding() throws {
        let (model, input) = try Self.model()
        #expect(try Self.kernels(model, input).map { $0.prefix { $0 != "-" } } == ["winograd4", "direct", Self.sevenBySeven])
        let tuned = try model.retuned([nil, StepTuning(schedule: .winograd2), nil, StepTuning(schedule: .winograd4), nil])
        #expect(try Self.kernels(tuned, input).map { $0.prefix { $0 != "-" } } == ["winograd2", "direct", "winograd4"])
        let forced = try Self.kernels(tuned, input, options: KernelOptions(schedule: .direct))
        #expect(forced.map { $0.prefix { $0 != "-" } } == ["direct", "direct", "direct"])
    }

    @Test("tuned results stay within tolerance on every instruction set, bitwise the same for 1 and 3 threads")
    func results() throws {
        let (model, input) = try Self.model()
        let reference = try Session(model: model).run([input])[0].data.map(Double.init)
        let tunings: [[StepTuning?]] = [
            [nil, StepTuning(schedule: .direct), StepTuning(splitSliceBytes: 0), StepTuning(splitSliceBytes: 0), nil],
            [nil, StepTuning(schedule: .winograd2), nil, StepTuning(splitSliceBytes: 64 << 10), nil],
            [nil, nil, nil, StepTuning(schedule: .winograd2, splitSliceBytes: 4096), nil],
        ]
        for tuning in tunings {
            let tuned = try model.retuned(tuning)
            for isa in KernelISA.available {
                let one = try Session(model: tuned, threads: 1, kernels: KernelOptions(isa: isa)).run([input])[0]
                let three = try Session(model: tuned, threads: 3, kernels: KernelOptions(isa: isa)).run([input])[0]
                expectClose(one.data, reference, "\(tuning) \(isa.rawValue)", relative: winogradF4Relative)
                #expect(one == three, "\(tuning) \(isa.rawValue)")
            }
        }
    }

    @Test("the plan round-trips its tunings; an untuned step writes no tuning")
    func codable() throws {
        let (model, _) = try Self.model()
        let plain = String(decoding: try JSONEncoder().encode(model.plan), as: UTF8.self)
        #expect(!plain.contains("tuning"))
        let tuned = try model.retuned([nil, StepTuning(schedule: .winograd2), nil, StepTuning(splitSliceBytes: 0), nil])
        let data = try JSONEncoder().encode(tuned.plan)
        #expect(try JSONDecoder().decode(Plan.self, from: data) == tuned.plan)
        #expect(tuned.plan.steps.map { $0.tuning?.summary } == [nil, "F(2,3)", nil, "one pass", nil])
        #expect(StepTuning(splitSliceBytes: 64 << 10).summary == "slice 64 KiB")
        #expect(StepTuning(schedule: .direct, splitSliceBytes: 1000).summary == "direct, slice 1000 bytes")
    }

    @Test("the validator rejects a tuning off a convolution and an impossible slice")
    func validation() throws {
        let (model, _) = try Self.model()
        #expect(throws: RuntimeError.invalidPlan(step: "to_blocked", reason: "a tuning applies only to convolutions")) {
            _ = try model.retuned([StepTuning(schedule: .direct), nil, nil, nil, nil])
        }
        #expect(throws: RuntimeError.invalidPlan(step: "c", reason: "tuned reduction slice of -1 bytes is outside 0...16777216")) {
            _ = try model.retuned([nil, nil, nil, StepTuning(splitSliceBytes: -1), nil])
        }
        #expect(throws: RuntimeError.invalidPlan(step: "plan", reason: "2 tunings for 5 steps")) {
            _ = try model.retuned([nil, nil])
        }
    }

    @Test("the tuner times only the choices that change a conv, and stores its winners if the model runs faster")
    func tuner() throws {
        let (model, input) = try Self.model()
        let settings = TunerSettings(threads: 1, rounds: 1, runs: 1, margin: 0)
        let (tuned, steps, ratio) = try Tuner.tune(try model.retuned([nil, StepTuning(schedule: .direct), nil, nil, nil]),
                                                   inputs: [input], settings: settings)
        // a: direct and F(2,3) (F(4,3) is its default); b: none; c: with AVX-512 two slices,
        // F(2,3) and F(4,3), else direct and F(4,3) (F(2,3) is its default, which no slice changes).
        #expect(steps.map(\.name) == ["a", "b", "c"])
        #expect(steps.map(\.tried) == [2, 0, Self.sevenBySeven == "direct" ? 4 : 2])
        #expect(steps[1].chosen == nil && steps[1].kernel == steps[1].defaultKernel)
        #expect(tuned.plan.metadata[Tuner.metadataKey] == "1 thread(s), \(KernelISA.preferred.rawValue)")
        // The picks are stored only if the whole model ran faster with them (median pair ratio < 1).
        for step in steps {
            #expect(tuned.plan.steps[step.index].tuning == (ratio < 1 ? step.chosen : nil))
            if step.chosen != nil { #expect(step.milliseconds < step.defaultMilliseconds) }
        }
        let output = try Session(model: tuned).run([input])[0]
        let reference = try Session(model: model).run([input])[0].data.map(Double.init)
        expectClose(output.data, reference, "tuned", relative: winogradF4Relative)
        // A margin of 100 % keeps every default (and drops the tuning the model came with).
        let (kept, verdicts, keptRatio) = try Tuner.tune(tuned, inputs: [input],
                                                         settings: TunerSettings(threads: 1, rounds: 1, runs: 1, margin: 1))
        #expect(kept.plan.steps.allSatisfy { $0.tuning == nil })
        #expect(verdicts.allSatisfy { $0.chosen == nil } && keptRatio == 1)
    }
}
