// Image lanes: the one-image plan derived from a batched one (shapes, a smaller arena, refusals),
// lanes (and the images they leave over) giving bitwise the whole-batch outputs for every thread
// count, their memory figures and their profiles.

import ResNetRuntime
import Testing

@Suite("Image lanes")
struct ImageLanesTests {
    /// conv → scale-shift → grouped strided conv with an option-A shortcut → add → relu → pools →
    /// flatten → linear → softmax, over `batch` images.
    private func batchedPlan(batch: Int) throws -> (Model, Tensor) {
        var random = SeededRandom(seed: 11)
        var b = PlanBuilder()
        let x = b.input("x", [batch, 16, 12, 12])
        let c1 = b.step("conv1", .conv2d(Conv2DParams(kernel: 3, padding: 1, hasBias: true)), inputs: [x],
                        shape: [batch, 32, 12, 12], weights: [b.weight(random.floats(32 * 16 * 9)), b.weight(random.floats(32))],
                        epilogue: Epilogue(activation: .relu))
        let bn = b.step("bn", .scaleShift, inputs: [c1], shape: [batch, 32, 12, 12],
                        weights: [b.weight(random.floats(32)), b.weight(random.floats(32))])
        let c2 = b.step("conv2", .conv2d(Conv2DParams(kernel: 3, stride: 2, padding: 1, groups: 4, hasBias: false)),
                        inputs: [bn, x], shape: [batch, 32, 6, 6], weights: [b.weight(random.floats(32 * 8 * 9))],
                        epilogue: Epilogue(residual: .shortcutA(stride: 2), activation: .relu))
        let sum = b.step("add", .add, inputs: [c2, c2], shape: [batch, 32, 6, 6])
        let pool = b.step("max", .maxPool(PoolParams(kernel: 3, stride: 2, padding: 1)), inputs: [sum],
                          shape: [batch, 32, 3, 3])
        let gap = b.step("gap", .globalAvgPool, inputs: [pool], shape: [batch, 32, 1, 1])
        let flat = b.step("flatten", .copy, inputs: [gap], shape: [batch, 32])
        let fc = b.step("fc", .linear(hasBias: true), inputs: [flat], shape: [batch, 10],
                        weights: [b.weight(random.floats(320)), b.weight(random.floats(10))])
        b.output("probabilities", b.step("softmax", .softmax, inputs: [fc], shape: [batch, 10]))
        b.output("features", flat)
        return (try b.model(), Tensor(shape: [batch, 16, 12, 12], data: random.floats(batch * 16 * 144)))
    }

    @Test("the one-image plan: batch 1 everywhere, same steps and weights, a smaller arena")
    func singleImagePlan() throws {
        let (model, _) = try batchedPlan(batch: 4)
        let plan = model.plan
        #expect(plan.uniformBatch == 4)
        let single = try #require(plan.singleImage())
        #expect(single.uniformBatch == 1)
        #expect(single.steps.map(\.name) == plan.steps.map(\.name))
        #expect(single.steps.map(\.weights) == plan.steps.map(\.weights))
        #expect(single.steps.map { Array($0.output.shape.dropFirst()) } == plan.steps.map { Array($0.output.shape.dropFirst()) })
        #expect(single.outputs.map(\.tensor.shape) == [[1, 10], [1, 32]])
        // The builder gives every value its own buffer; one image's plan reuses dead ones.
        #expect(single.arenaFloats * 4 < plan.arenaFloats)
        try PlanValidator.validate(single)
        #expect(single.singleImage() == nil, "batch 1 has nothing to split")
    }

    @Test("plans that cannot be split by image")
    func refusals() throws {
        var b = PlanBuilder()
        let x = b.input("x", [2, 8])
        b.output("y", b.step("reshape", .copy, inputs: [x], shape: [4, 4]))
        #expect(b.plan.uniformBatch == nil)
        #expect(b.plan.singleImage() == nil, "a tensor that does not lead with the batch")

        var c = PlanBuilder()
        let y = c.input("y", [2, 32])
        var half = y
        half.shape = [2, 16]
        c.output("z", c.step("part", .copy, inputs: [half], shape: [2, 16]))
        #expect(c.plan.uniformBatch == 2)
        #expect(c.plan.singleImage() == nil, "a read of part of a value")

        var d = PlanBuilder()
        var last = d.input("v", [2, 1])
        for index in 0..<Plan.maxSingleImageSteps { last = d.step("copy\(index)", .copy, inputs: [last], shape: [2, 1]) }
        d.output("w", last)
        #expect(d.plan.singleImage() != nil)
        d.steps.append(Step(name: "one more", op: .copy, inputs: [last], output: d.tensor([2, 1])))
        #expect(d.plan.singleImage() == nil, "more steps than a session splits")
    }

    @Test("lanes give bitwise the whole-batch outputs, and the one-image plan's, for every thread count")
    func bitwiseEqual() throws {
        let (model, x) = try batchedPlan(batch: 4)
        let whole = try Session(model: model, threads: 1, kernels: KernelOptions(imageLanes: false)).run([x])
        for threads in [1, 2, 3, 4, 5] {
            for imageLanes in [true, false] {
                let session = try Session(model: model, threads: threads, kernels: KernelOptions(imageLanes: imageLanes))
                // 3 lanes leave one image for all workers; 5 workers are more than the images.
                #expect(session.memory.imageLanes == (imageLanes && threads <= 4 ? threads : 0))
                for _ in 0..<2 {
                    #expect(try session.run([x]).map { $0.data.map(\.bitPattern) } == whole.map { $0.data.map(\.bitPattern) },
                            "threads \(threads), lanes \(imageLanes)")
                }
            }
        }
        // Image by image through the one-image plan itself.
        let single = try Model(plan: try #require(model.plan.singleImage()), weights: model.withWeights { Array($0) })
        let session = try Session(model: single)
        for image in 0..<4 {
            let slice = Tensor(shape: [1, 16, 12, 12], data: Array(x.data[image * 2304..<(image + 1) * 2304]))
            let out = try session.run([slice])
            #expect(out[0].data.map(\.bitPattern) == whole[0].data[image * 10..<(image + 1) * 10].map(\.bitPattern))
            #expect(out[1].data.map(\.bitPattern) == whole[1].data[image * 32..<(image + 1) * 32].map(\.bitPattern))
        }
    }

    @Test("memory with lanes: one-image arenas and scratch per lane, the batch's inputs and outputs, the rest's scratch")
    func memory() throws {
        let (model, x) = try batchedPlan(batch: 4)
        let single = try #require(model.plan.singleImage())
        for isa in KernelISA.available {
            for threads in [1, 2, 3, 5] {
                let options = KernelOptions(isa: isa)
                let session = try Session(model: model, threads: threads, kernels: options)
                _ = try session.run([x])
                let estimate = SessionMemory.planned(for: model.plan, threads: threads, kernels: options)
                #expect(session.memory == estimate, "\(isa) t\(threads)")
                #expect(model.packedWeightBytes == estimate.packedWeightBytes, "the rest packs no weights of its own")
                let lanes = threads == 5 ? 0 : threads
                #expect(estimate.imageLanes == lanes)
                #expect(estimate.arenaBytes == (lanes == 0 ? model.plan.arenaFloats : single.arenaFloats * lanes) * 4)
                // x (4·16·144), the probabilities (4·10 → 48 aligned) and the features (4·32).
                #expect(estimate.batchBufferBytes == (lanes == 0 ? 0 : (9216 + 48 + 128) * 4))
                #expect((estimate.restScratchBytes > 0) == (threads == 3), "3 lanes leave one image over")
                // Lanes hold an owner's and a helper's slot each (one with a single thread).
                #expect(estimate.scratchSlots == (lanes == 0 ? threads : lanes * min(threads, 2)))
                #expect(estimate.sessionBytes == estimate.arenaBytes + estimate.scratchBytesPerThread * estimate.scratchSlots
                        + estimate.sharedScratchBytes + estimate.batchBufferBytes + estimate.restScratchBytes)
            }
        }
    }

    @Test("a profiled batch times every step once per round of images, with bitwise the same outputs",
          arguments: [2, 3])
    func profiled(threads: Int) throws {
        let (model, x) = try batchedPlan(batch: 4)
        let plain = try Session(model: model, threads: threads).run([x])
        let session = try Session(model: model, threads: threads, profiling: .trace)
        let out = try session.run([x])
        #expect(out.map { $0.data.map(\.bitPattern) } == plain.map { $0.data.map(\.bitPattern) })
        let rows = session.profile
        #expect(rows.map(\.name) == model.plan.steps.map(\.name))
        #expect(rows.allSatisfy { $0.runs == 1 && $0.totalNanoseconds > 0 })
        // Two rounds (of 2 + 2 or 3 + 1 images): each step appears twice on the session's lane.
        let spans = session.trace.spans.filter { $0.lane == .session && $0.kind != nil }.map(\.name)
        #expect(spans == model.plan.steps.map(\.name) + model.plan.steps.map(\.name))
    }
}
