// The session's persistent workers: steps with fewer units than threads, sessions made and
// dropped in a loop (workers joined, nothing left spinning), idle gaps long enough for the
// workers to park, workers that come late to a step, and many sessions at once on more threads
// than cores — always the same bits.

import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ResNetRuntime
import Testing

@Suite("Worker pool")
struct WorkerPoolTests {
    /// conv (many units) → global pool (2 units) → linear (1 unit per 4 outputs).
    static func model() throws -> (Model, Tensor) {
        var random = SeededRandom(seed: 17)
        var b = PlanBuilder()
        let x = b.input("x", [1, 8, 9, 9])
        let c = b.step("c", .conv2d(Conv2DParams(kernel: 3, padding: 1, hasBias: true)), inputs: [x], shape: [1, 16, 9, 9],
                       weights: [b.weight(random.floats(16 * 8 * 9)), b.weight(random.floats(16))],
                       epilogue: Epilogue(activation: .relu))
        let g = b.step("g", .globalAvgPool, inputs: [c], shape: [1, 16, 1, 1])
        let f = b.step("f", .copy, inputs: [g], shape: [1, 16])
        b.output("y", b.step("fc", .linear(hasBias: true), inputs: [f], shape: [1, 3],
                             weights: [b.weight(random.floats(48)), b.weight(random.floats(3))]))
        return (try b.model(), Tensor(shape: [1, 8, 9, 9], data: random.floats(648)))
    }

    @Test("sessions made and dropped in a loop, with idle gaps, give the single-thread bits")
    func lifecycle() throws {
        let (model, input) = try Self.model()
        let expected = try Session(model: model, threads: 1).run([input])[0].data.map(\.bitPattern)
        let threadsBefore = Self.processThreads()
        for round in 0..<40 {
            let session = try Session(model: model, threads: 2 + round % 6)
            #expect(try session.run([input])[0].data.map(\.bitPattern) == expected)
            if round % 10 == 0 {
                usleep(2_000)   // longer than the spin phase: the workers park, then must wake
                #expect(try session.run([input])[0].data.map(\.bitPattern) == expected)
            }
        }
        // 40 sessions started ~180 workers; dropped sessions join theirs (other tests running
        // in parallel may hold a few threads of their own).
        #expect(Self.processThreads() < threadsBefore + 40)
    }

    /// The `Threads:` line of /proc/self/status (0 where there is none).
    static func processThreads() -> Int {
        guard let file = fopen("/proc/self/status", "r") else { return 0 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, 256, file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("Threads:") { return Int(text.dropFirst(8).trimmingPrefix(while: \.isWhitespace).prefix { $0.isNumber }) ?? 0 }
        }
        return 0
    }

    /// Participants that finish their chunk take units from the back of the others' (on a
    /// 2-core machine with 3-5 threads a descheduled worker's chunk is mostly taken by others):
    /// every unit still runs exactly once, on whichever thread, so the bits never change.
    @Test("units taken from a slower thread's chunk give the single-thread bits")
    func takenUnits() throws {
        var random = SeededRandom(seed: 23)
        var b = PlanBuilder()
        let x = b.input("x", [2, 32, 29, 29])
        let xb = b.step("to_blocked", .copy, inputs: [x], shape: [2, 32, 29, 29], layout: .nChw16c)
        let c = b.step("c", .conv2d(Conv2DParams(kernel: 3, padding: 1, hasBias: true)), inputs: [xb],
                       shape: [2, 64, 29, 29], weights: [b.weight(random.floats(64 * 32 * 9)), b.weight(random.floats(64))],
                       epilogue: Epilogue(activation: .relu), layout: .nChw16c)
        let p = b.step("p", .maxPool(PoolParams(kernel: 3, stride: 2, padding: 1)), inputs: [c], shape: [2, 64, 15, 15],
                       layout: .nChw16c)
        b.output("y", b.step("to_nchw", .copy, inputs: [p], shape: [2, 64, 15, 15]))
        let model = try b.model()
        let input = Tensor(shape: [2, 32, 29, 29], data: random.floats(2 * 32 * 29 * 29))
        let expected = try Session(model: model, threads: 1).run([input])[0].data.map(\.bitPattern)
        for threads in [2, 3, 5] {
            let session = try Session(model: model, threads: threads)
            for _ in 0..<30 {
                #expect(try session.run([input])[0].data.map(\.bitPattern) == expected, "\(threads) threads")
            }
        }
    }

    /// A step ends when its units are done, not when every worker has looked in: on a 2-core
    /// machine with six 2-thread sessions running at once, workers often come to a step after
    /// the caller has finished it alone (they must then skip it, and never touch the next step's
    /// job while the caller sets it up) or join a step halfway.
    @Test("workers that come late to short steps skip or join them, and the bits never change")
    func lateWorkers() throws {
        var random = SeededRandom(seed: 31)
        var b = PlanBuilder()
        var x = b.input("x", [1, 8, 5, 5])
        for i in 0..<12 {
            x = b.step("c\(i)", .conv2d(Conv2DParams(kernel: 3, padding: 1, hasBias: true)), inputs: [x],
                       shape: [1, 8, 5, 5], weights: [b.weight(random.floats(8 * 8 * 9)), b.weight(random.floats(8))],
                       epilogue: Epilogue(activation: .relu))
        }
        b.output("y", x)
        let model = try b.model()
        let input = Tensor(shape: [1, 8, 5, 5], data: random.floats(200))
        #expect(try Self.mismatches(model, input, sessions: 6, threads: 2, runs: 200) == 0)
    }

    @Test("8 sessions of 3 threads on 8 OS threads at once")
    func oversubscribed() throws {
        let (model, input) = try Self.model()
        #expect(try Self.mismatches(model, input, sessions: 8, threads: 3, runs: 50) == 0)
    }

    /// Runs `model` on `input` in `sessions` sessions of `threads` threads at once, `runs` times
    /// each, and counts the outputs that are not bitwise the single-thread session's.
    static func mismatches(_ model: Model, _ input: Tensor, sessions: Int, threads: Int, runs: Int) throws -> Int {
        let expected = try Session(model: model, threads: 1).run([input])[0].data.map(\.bitPattern)
        let mismatches = Counter()
        DispatchQueue.concurrentPerform(iterations: sessions) { _ in
            guard let session = try? Session(model: model, threads: threads) else { return mismatches.add() }
            for _ in 0..<runs {
                if (try? session.run([input])[0].data.map(\.bitPattern)) != expected { mismatches.add() }
            }
        }
        return mismatches.value
    }
}

/// A thread-safe tally.
final class Counter: @unchecked Sendable {
    private var count = 0
    private let lock = DispatchSemaphore(value: 1)
    func add() {
        lock.wait()
        count += 1
        lock.signal()
    }
    var value: Int {
        lock.wait()
        defer { lock.signal() }
        return count
    }
}
