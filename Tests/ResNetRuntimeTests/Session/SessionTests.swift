// Session: input checking errors, the single-buffer entry point, and bitwise-identical results
// for 1, 2 and 3 threads.

import ResNetRuntime
import Testing

@Suite("Session")
struct SessionTests {
    @Test("wrong input count and shape")
    func inputErrors() throws {
        let session = try Session(model: sampleBuilder().model())
        let image = sampleImage()
        #expect(throws: RuntimeError.inputCount(expected: 1, found: 2)) { try session.run([image, image]) }
        #expect(throws: RuntimeError.inputCount(expected: 1, found: 0)) { try session.run([]) }
        let wrong = Tensor(zeros: [1, 3, 32, 32])
        let error = RuntimeError.inputShape(name: "image", expected: [1, 3, 8, 8], found: [1, 3, 32, 32])
        #expect(throws: error) { try session.run([wrong]) }
        #expect(error.description == "input 'image': expected shape 1x3x8x8, found 1x3x32x32")
        var mismatched = image
        mismatched.data.removeLast()
        #expect(throws: RuntimeError.bufferSize(name: "image", expected: 192, found: 191)) { try session.run([mismatched]) }
    }

    @Test("buffer entry point matches run([Tensor]) and checks sizes")
    func bufferRun() throws {
        let session = try Session(model: sampleBuilder().model())
        let image = sampleImage()
        let expected = try session.run([image])[0]
        var output = [Float](repeating: 0, count: 5)
        try image.data.withUnsafeBufferPointer { input throws(RuntimeError) in
            try output.withUnsafeMutableBufferPointer { out throws(RuntimeError) in
                try session.run(input: input, output: out)
            }
        }
        #expect(output == expected.data)
        var small = [Float](repeating: 0, count: 4)
        #expect(throws: RuntimeError.bufferSize(name: "probabilities", expected: 5, found: 4)) {
            try image.data.withUnsafeBufferPointer { input throws(RuntimeError) in
                try small.withUnsafeMutableBufferPointer { out throws(RuntimeError) in
                    try session.run(input: input, output: out)
                }
            }
        }
        #expect(throws: RuntimeError.bufferSize(name: "image", expected: 192, found: 3)) {
            try [Float](repeating: 0, count: 3).withUnsafeBufferPointer { input throws(RuntimeError) in
                try output.withUnsafeMutableBufferPointer { out throws(RuntimeError) in
                    try session.run(input: input, output: out)
                }
            }
        }
    }

    @Test("repeated runs are independent of earlier inputs")
    func repeatedRuns() throws {
        let session = try Session(model: sampleBuilder().model())
        let first = try session.run([sampleImage(seed: 5)])
        _ = try session.run([sampleImage(seed: 6)])
        #expect(try session.run([sampleImage(seed: 5)]) == first)
    }

    /// A wider two-image plan so every step has many units to split.
    private func widePlan() throws -> (Model, Tensor) {
        var random = SeededRandom(seed: 42)
        var b = PlanBuilder()
        let x = b.input("x", [2, 16, 12, 12])
        let c1 = b.step("conv1", .conv2d(Conv2DParams(kernel: 3, padding: 1, hasBias: true)), inputs: [x],
                        shape: [2, 32, 12, 12], weights: [b.weight(random.floats(32 * 16 * 9)), b.weight(random.floats(32))],
                        epilogue: Epilogue(activation: .silu))
        let bn = b.step("bn", .scaleShift, inputs: [c1], shape: [2, 32, 12, 12],
                        weights: [b.weight(random.floats(32)), b.weight(random.floats(32))])
        let c2 = b.step("conv2", .conv2d(Conv2DParams(kernel: 3, stride: 2, padding: 1, groups: 4, hasBias: false)),
                        inputs: [bn, x], shape: [2, 32, 6, 6], weights: [b.weight(random.floats(32 * 8 * 9))],
                        epilogue: Epilogue(residual: .shortcutA(stride: 2), activation: .relu))
        let pool = b.step("avg", .avgPool(PoolParams(kernel: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false)),
                          inputs: [c2], shape: [2, 32, 4, 4])
        let gap = b.step("gap", .globalAvgPool, inputs: [pool], shape: [2, 32, 1, 1])
        let flat = b.step("flatten", .copy, inputs: [gap], shape: [2, 32])
        let fc = b.step("fc", .linear(hasBias: true), inputs: [flat], shape: [2, 10],
                        weights: [b.weight(random.floats(320)), b.weight(random.floats(10))])
        b.output("logits", b.step("softmax", .softmax, inputs: [fc], shape: [2, 10]))
        b.output("features", flat)
        return (try b.model(), Tensor(shape: [2, 16, 12, 12], data: random.floats(2 * 16 * 144)))
    }

    @Test("1, 2 and 3 threads give bitwise-identical outputs")
    func threadCounts() throws {
        let (model, x) = try widePlan()
        let one = try Session(model: model, threads: 1).run([x])
        for threads in [2, 3, 7] {
            let session = try Session(model: model, threads: threads)
            #expect(session.threads == threads)
            let out = try session.run([x])
            #expect(out.map { $0.data.map(\.bitPattern) } == one.map { $0.data.map(\.bitPattern) }, "threads \(threads)")
        }
        #expect(try Session(model: model, threads: 0).threads == 1)
    }

    @Test("sessions on several threads share one model")
    func concurrentSessions() async throws {
        let (model, x) = try widePlan()
        let expected = try Session(model: model).run([x])
        let results = try await withThrowingTaskGroup(of: [Tensor].self) { group in
            for _ in 0..<4 {
                group.addTask { try Session(model: model, threads: 2).run([x]) }
            }
            return try await group.reduce(into: [[Tensor]]()) { $0.append($1) }
        }
        #expect(results.count == 4)
        for result in results { #expect(result == expected) }
    }

    @Test("Parallel.forEach covers every unit exactly once")
    func parallelSplit() {
        for (count, threads) in [(0, 3), (1, 4), (5, 2), (7, 3), (100, 7)] {
            let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(count, 1))
            hits.initialize(repeating: 0)
            let box = HitBox(hits)
            Parallel.forEach(count: count, threads: threads) { range in
                for i in range { box.hits[i] += 1 }
            }
            #expect(Array(hits.prefix(count)) == Array(repeating: 1, count: count), "\(count) / \(threads)")
            hits.deallocate()
        }
    }
}

/// Lets worker threads count hits in disjoint slots of one buffer.
private struct HitBox: @unchecked Sendable {
    let hits: UnsafeMutableBufferPointer<Int>
    init(_ hits: UnsafeMutableBufferPointer<Int>) { self.hits = hits }
}
