// SessionMemory: what a session reports it allocated equals the static estimate from the plan,
// for every instruction set and thread count, and the parts add up.

import ResNetRuntime
import Testing

@Suite("Session memory")
struct SessionMemoryTests {
    @Test("a session's memory equals the plan's estimate on every path")
    func matchesEstimate() throws {
        var random = SeededRandom(seed: 5)
        var b = PlanBuilder()
        let x = b.input("x", [1, 16, 12, 12])
        let c1 = b.step("c1", .conv2d(Conv2DParams(kernel: 3, stride: 2, padding: 1, hasBias: false)), inputs: [x],
                        shape: [1, 20, 6, 6], weights: [b.weight(random.floats(20 * 16 * 9))])
        let c2 = b.step("c2", .conv2d(Conv2DParams(kernel: 1, hasBias: false)), inputs: [c1], shape: [1, 40, 6, 6],
                        weights: [b.weight(random.floats(40 * 20))])
        b.output("y", c2)
        let model = try b.model()
        for isa in KernelISA.available {
            for threads in [1, 3] {
                let options = KernelOptions(isa: isa)
                let session = try Session(model: model, threads: threads, kernels: options)
                let estimate = SessionMemory.planned(for: model.plan, threads: threads, kernels: options)
                #expect(session.memory == estimate, "\(isa) t\(threads)")
                #expect(estimate.arenaBytes == b.arenaFloats * 4 && estimate.threads == threads)
                // Both convs are GEMMs: packed panels hold at least the weights, padded to whole tiles.
                #expect(estimate.packedWeightBytes >= (20 * 16 * 9 + 40 * 20) * 4)
                // The stride-2 3×3 needs its phase planes (16 channels of 4 phases ≥ the padded input).
                #expect(estimate.sharedScratchBytes >= 16 * 14 * 14 * 4)
                #expect(estimate.scratchBytesPerThread > 0 && estimate.scratchBytesPerThread % 64 == 0)
                #expect(estimate.sessionBytes == estimate.arenaBytes + estimate.scratchBytesPerThread * threads
                        + estimate.sharedScratchBytes)
            }
        }
    }

    @Test("sessions of one model share its packed weights")
    func packedWeightsShared() throws {
        var random = SeededRandom(seed: 6)
        var b = PlanBuilder()
        let x = b.input("x", [1, 8, 10, 10])
        b.output("y", b.step("c", .conv2d(Conv2DParams(kernel: 3, padding: 1, hasBias: false)), inputs: [x],
                             shape: [1, 24, 10, 10], weights: [b.weight(random.floats(24 * 8 * 9))]))
        let model = try b.model()
        #expect(model.packedWeightBytes == 0)
        let isa = try #require(KernelISA.available.first)
        let first = try Session(model: model, threads: 2, kernels: KernelOptions(isa: isa))
        #expect(model.packedWeightBytes == first.memory.packedWeightBytes && model.packedWeightBytes > 0)
        let input = Tensor(shape: [1, 8, 10, 10], data: random.floats(800))
        let expected = try first.run([input])[0].data.map(\.bitPattern)
        let sessions = try (0..<3).map { _ in try Session(model: model, threads: 1, kernels: KernelOptions(isa: isa)) }
        #expect(model.packedWeightBytes == first.memory.packedWeightBytes)
        for session in sessions { #expect(try session.run([input])[0].data.map(\.bitPattern) == expected) }
    }
}
