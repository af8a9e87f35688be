// Session profiling: one row per plan step with the right names, kinds, shapes and FLOPs,
// positive and consistent times, reset, nothing recorded when off, and profiled runs giving
// bitwise the unprofiled outputs. No assertion depends on how long anything took.

import ResNetRuntime
import Testing

@Suite("Session profile")
struct SessionProfileTests {
    @Test("rows follow the plan steps: names, kinds, shapes, FLOPs, runs")
    func rowsMatchPlan() throws {
        let (model, input) = try profiledPlan()
        let session = try Session(model: model, threads: 2, profiling: .steps)
        for _ in 0..<3 { _ = try session.run([input]) }
        let rows = session.profile
        let steps = model.plan.steps
        #expect(rows.map(\.name) == steps.map(\.name))
        #expect(rows.map(\.index) == Array(steps.indices))
        #expect(rows.map(\.outputShape) == steps.map(\.output.shape))
        #expect(rows.map(\.kind) == [.conv, .scaleShift, .conv, .add, .activation, .avgPool, .globalAvgPool,
                                     .copy, .linear, .softmax])
        #expect(rows.allSatisfy { $0.runs == 3 })
        #expect(session.profiledRuns == 3)
        // By hand: 2·N·O·H·W·(I/g)·K², 2·N·O·I, and the elementwise counts.
        #expect(rows[0].flops == 2 * 2 * 32 * 12 * 12 * 16 * 9)     // conv1: 2,654,208
        #expect(rows[0].flops == 2_654_208)
        #expect(rows[2].flops == 2 * 2 * 32 * 6 * 6 * (32 / 4) * 9) // conv2: 32 inputs in 4 groups
        #expect(rows[1].flops == 2 * 2 * 32 * 144)                   // scale_shift
        #expect(rows[3].flops == 2 * 32 * 36)                        // add
        #expect(rows[5].flops == 2 * 32 * 16 * 9)                    // avg pool 3x3
        #expect(rows[6].flops == 2 * 32 * 16)                        // global pool over its input
        #expect(rows[7].flops == 0)                                  // copy
        #expect(rows[8].flops == 2 * 2 * 10 * 32)                    // linear
        #expect(rows[9].flops == 3 * 20)                             // softmax
    }

    @Test("times are positive and consistent: workers within the step, mean = total / runs")
    func timesConsistent() throws {
        let (model, input) = try profiledPlan()
        let session = try Session(model: model, threads: 2, profiling: .steps)
        for _ in 0..<3 { _ = try session.run([input]) }
        for row in session.profile {
            #expect(row.totalNanoseconds > 0, "\(row.name)")
            #expect(row.workerNanoseconds.count == 2)
            #expect(row.workerNanoseconds[0] > 0, "\(row.name): worker 0 always gets units")
            #expect(row.workerNanoseconds.allSatisfy { $0 <= row.totalNanoseconds }, "\(row.name)")
            #expect(row.prepareNanoseconds <= row.totalNanoseconds)
            #expect(abs(row.meanMilliseconds * 3 - row.totalMilliseconds) <= 1e-9 * row.totalMilliseconds)
            if row.flops > 0 {
                #expect(abs(row.gflopsPerSecond - Double(row.flops) / (row.meanMilliseconds * 1e6))
                        <= 1e-9 * row.gflopsPerSecond)
            }
        }
    }

    @Test("a conv's pre-pass counts in its own row")
    func prepassAttributed() throws {
        let (model, input) = try profiledPlan()
        // The implicit GEMM always splits a padded input into stride phases first.
        let session = try Session(model: model, threads: 1, kernels: KernelOptions(convAlgorithm: .implicit),
                                  profiling: .trace)
        _ = try session.run([input])
        let rows = session.profile
        #expect(rows.count == model.plan.steps.count)
        #expect(rows[0].prepareNanoseconds > 0)
        #expect(rows[0].prepareNanoseconds < rows[0].totalNanoseconds)
        #expect(rows[1].prepareNanoseconds == 0)
        let workerNames = session.trace.spans.filter { $0.lane == .worker(0) }.map(\.name)
        #expect(workerNames.prefix(2) == ["conv1.prepare", "conv1"])
        // One lane takes the two images in turn: each pre-pass runs once per image.
        #expect(workerNames.filter { $0.hasSuffix(".prepare") } == ["conv1.prepare", "conv2.prepare",
                                                                    "conv1.prepare", "conv2.prepare"])
    }

    @Test("resetProfile forgets earlier runs")
    func reset() throws {
        let (model, input) = try profiledPlan()
        let session = try Session(model: model, profiling: .trace)
        for _ in 0..<2 { _ = try session.run([input]) }
        session.resetProfile()
        #expect(session.profiledRuns == 0)
        #expect(session.profile.allSatisfy { $0.runs == 0 && $0.totalNanoseconds == 0 && $0.workerNanoseconds == [0] })
        #expect(session.trace.spans.isEmpty)
        _ = try session.run([input])
        #expect(session.profile.allSatisfy { $0.runs == 1 && $0.totalNanoseconds > 0 })
        #expect(session.trace.spans.filter { $0.kind == nil }.map(\.name) == ["run 0"])
    }

    @Test("off by default: no profile, no trace")
    func offRecordsNothing() throws {
        let (model, input) = try profiledPlan()
        let session = try Session(model: model, threads: 2)
        #expect(session.profiling == .off)
        _ = try session.run([input])
        #expect(session.profile.isEmpty)
        #expect(session.profiledRuns == 0)
        #expect(session.trace.spans.isEmpty)
        let steps = try Session(model: model, profiling: .steps)
        _ = try steps.run([input])
        #expect(steps.trace.spans.isEmpty, "only .trace keeps a timeline")
    }

    @Test("profiled runs give bitwise the unprofiled outputs", arguments: [1, 2, 3])
    func bitwiseEqual(threads: Int) throws {
        let (model, input) = try profiledPlan()
        let plain = try Session(model: model, threads: threads).run([input])
        for mode in [ProfilingMode.steps, .trace] {
            let session = try Session(model: model, threads: threads, profiling: mode)
            for _ in 0..<2 {
                let out = try session.run([input])
                #expect(out.map { $0.data.map(\.bitPattern) } == plain.map { $0.data.map(\.bitPattern) }, "\(mode)")
            }
        }
    }

    @Test("the Docs/Runtime.md profiling snippet, as written")
    func docSnippet() throws {
        let (model, input) = try profiledPlan()
        let session = try Session(model: model, threads: 2, profiling: .steps)
        for _ in 0..<3 { _ = try session.run([input]) }        // warm up
        session.resetProfile()                                    // measure from here
        for _ in 0..<20 { _ = try session.run([input]) }
        var printed: [String] = []
        for row in session.profile {                              // one StepProfile per plan step, in order
            printed.append("\(row.name) \(row.kind) \(row.outputShape) \(row.meanMilliseconds) \(row.gflopsPerSecond)")
        }
        #expect(printed.count == model.plan.steps.count)
        #expect(printed[0].hasPrefix("conv1 conv [2, 32, 12, 12] "))
        #expect(session.profiledRuns == 20)
    }

    @Test("Step.flops of single steps, by hand")
    func stepFLOPs() {
        let conv = Step(name: "c", op: .conv2d(Conv2DParams(kernel: 7, stride: 2, padding: 3, hasBias: false)),
                        inputs: [TensorRef(offset: 0, shape: [1, 3, 224, 224])],
                        output: TensorRef(offset: 0, shape: [1, 64, 112, 112]))
        #expect(conv.flops == 236_027_904)   // ResNet-50's conv1: 2·64·112·112·3·49
        let depthwise = Step(name: "d", op: .conv2d(Conv2DParams(kernel: 3, padding: 1, groups: 32, hasBias: false)),
                             inputs: [TensorRef(offset: 0, shape: [1, 32, 8, 8])],
                             output: TensorRef(offset: 0, shape: [1, 32, 8, 8]))
        #expect(depthwise.flops == 2 * 32 * 64 * 9)
        let fc = Step(name: "fc", op: .linear(hasBias: true), inputs: [TensorRef(offset: 0, shape: [4, 2048])],
                      output: TensorRef(offset: 0, shape: [4, 1000]))
        #expect(fc.flops == 2 * 4 * 1000 * 2048)
        let pool = Step(name: "p", op: .maxPool(PoolParams(kernel: 3, stride: 2, padding: 1)),
                        inputs: [TensorRef(offset: 0, shape: [1, 64, 112, 112])],
                        output: TensorRef(offset: 0, shape: [1, 64, 56, 56]))
        #expect(pool.flops == 64 * 56 * 56 * 9)
        let shortcut = Step(name: "s", op: .shortcutA(stride: 2), inputs: [TensorRef(offset: 0, shape: [1, 16, 8, 8])],
                            output: TensorRef(offset: 0, shape: [1, 32, 4, 4]))
        #expect(shortcut.flops == 0)
    }
}
