// The concurrency stress run: one shared Model, sessions on more threads than cores, each run's
// output compared bit for bit with a single-threaded reference, resident memory measured.
import Foundation
import ResNetCompiler
import ResNetRuntime

/// What one stress run found.
struct StressReport: Sendable {
    var runs = 0
    var mismatches = 0
    var failures: [String] = []
    var rssBeforeKiB = 0
    var rssAfterKiB = 0
    /// OS threads of the process (/proc/self/task) at the same two points.
    var threadsBefore = 0
    var threadsAfter = 0
    var seconds = 0.0
    var rssGrowthKiB: Int { rssAfterKiB - rssBeforeKiB }

    /// One line for the log and the docs.
    var summary: String {
        "\(runs) runs in \(String(format: "%.2f", seconds)) s, \(mismatches) outputs not bitwise identical, "
            + "VmRSS \(rssBeforeKiB) KiB → \(rssAfterKiB) KiB (\(rssGrowthKiB >= 0 ? "+" : "")\(rssGrowthKiB) KiB)"
            + ", threads \(threadsBefore) → \(threadsAfter)"
            + (failures.isEmpty ? "" : "; errors: \(failures.prefix(3))")
    }
}

/// Runs the stress: `threads` OS threads, each with its own Sessions over one shared Model.
enum ConcurrencyStress {
    /// A small residual network: conv+BN+ReLU stem, one basic block, pool, linear.
    static let source = """
        network stress
        input image: 1x4x16x16
        x = conv1: conv(image, 8, kernel: 3, pad: 1, bias: false) -> bn1: batchnorm -> relu
        y = b.conv1: conv(x, 8, kernel: 3, pad: 1, bias: false) -> b.bn1: batchnorm -> relu
        y = b.conv2: conv(y, 8, kernel: 3, pad: 1, bias: false) -> b.bn2: batchnorm
        x = relu(x + y)
        x = maxpool(x, kernel: 2)
        x = global_avgpool(x)
        output logits = fc: linear(flatten(x), 10)
        """

    /// VmRSS of this process in KiB (0 if /proc is unavailable).
    static func residentKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return Int(line.split(separator: " ")[1]) ?? 0
    }

    /// Threads of this process (0 if /proc is unavailable).
    static func threadCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
    }

    /// Seeded inputs, different from each other.
    static func inputs(_ count: Int, shape: [Int]) -> [Tensor] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            let values = (0..<shape.reduce(1, *)).map { _ -> Float in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 500
            }
            return Tensor(shape: shape, data: values)
        }
    }

    /// Every thread runs `runsPerThread` inferences; a thread replaces its Session every
    /// `sessionLifetime` runs (so creating and freeing sessions is stressed too) and alternates
    /// 1 and 2 worker threads per session.
    static func run(threads: Int, runsPerThread: Int, sessionLifetime: Int) throws -> StressReport {
        let model = try Compiler.compile(source: source, fileName: "stress.net").makeModel()
        let samples = inputs(16, shape: model.inputs[0].shape)
        let reference = Session(model: model).map { session in samples.map { try? session.run([$0])[0].data } }
        // Warm-up: every thread once, so allocator arenas and lazy runtime state exist before
        // the "before" measurement.
        _ = try pass(model: model, samples: samples, reference: reference, threads: threads,
                     runsPerThread: 2 * sessionLifetime, sessionLifetime: sessionLifetime)
        var report = StressReport()
        report.rssBeforeKiB = residentKiB()
        report.threadsBefore = threadCount()
        let start = Date()
        let counts = try pass(model: model, samples: samples, reference: reference, threads: threads,
                              runsPerThread: runsPerThread, sessionLifetime: sessionLifetime)
        report.seconds = Date().timeIntervalSince(start)
        report.rssAfterKiB = residentKiB()
        report.threadsAfter = threadCount()
        report.runs = counts.runs
        report.mismatches = counts.mismatches
        report.failures = counts.failures
        return report
    }

    /// Shared tallies of the worker threads.
    private final class Tally: @unchecked Sendable {
        // @unchecked: every access holds `lock`.
        let lock = NSLock()
        var runs = 0, mismatches = 0
        var failures: [String] = []
    }

    private static func pass(model: Model, samples: [Tensor], reference: [[Float]?]?, threads: Int,
                             runsPerThread: Int, sessionLifetime: Int) throws
        -> (runs: Int, mismatches: Int, failures: [String]) {
        guard let reference, !reference.contains(where: { $0 == nil }) else {
            return (0, 0, ["the single-threaded reference run failed"])
        }
        let expected = reference.map { $0!.map(\.bitPattern) }
        let tally = Tally()
        let done = DispatchGroup()
        for t in 0..<threads {
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                var runs = 0, mismatches = 0
                var failure: String?
                var session: Session?
                for i in 0..<runsPerThread {
                    if i % sessionLifetime == 0 {
                        session = nil  // free the old arena before allocating the next
                        do { session = try Session(model: model, threads: 1 + (t + i / sessionLifetime) % 2) } catch {
                            failure = "\(error)"
                            break
                        }
                    }
                    let k = (t * 7 + i) % samples.count
                    do {
                        let output = try session!.run([samples[k]])[0].data
                        if output.map(\.bitPattern) != expected[k] { mismatches += 1 }
                        runs += 1
                    } catch {
                        failure = "\(error)"
                        break
                    }
                }
                tally.lock.lock()
                tally.runs += runs
                tally.mismatches += mismatches
                if let failure { tally.failures.append(failure) }
                tally.lock.unlock()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        done.wait()
        return (tally.runs, tally.mismatches, tally.failures)
    }
}

private extension Session {
    /// `body` applied to a single-threaded session of `model`, or nil if it cannot be made.
    convenience init?(model: Model) {
        do { try self.init(model: model, threads: 1) } catch { return nil }
    }
}
