// Heavy concurrent use gives the same answers as light use and does not grow memory: 8 threads
// on a 2-core machine, thousands of runs, in a child process so other tests' memory is not counted.
import Foundation
import Testing

@Suite("Concurrency stress")
struct ConcurrencyStressTests {
    @Test("8 threads × many sessions: bitwise identical outputs, resident memory stays flat")
    func manySessionsManyThreads() async throws {
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            #if DEBUG
            var runsPerThread = 150  // debug kernels are far slower; still 1,200 runs
            #else
            var runsPerThread = 1_000  // 8,000 runs, ~0.3 s alone on 2 cores
            #endif
            // Sanitizer runs (10–50× slower) shorten it: RESNETC_STRESS_RUNS=runs per thread.
            if let text = ProcessInfo.processInfo.environment["RESNETC_STRESS_RUNS"], let runs = Int(text), runs > 0 {
                runsPerThread = runs
            }
            // The child always exits 0 after writing its report (an exit test that fails hands
            // back no output), so the parent can show why it failed.
            let report: StressReport
            do { report = try ConcurrencyStress.run(threads: 8, runsPerThread: runsPerThread, sessionLifetime: 50) } catch {
                FileHandle.standardError.write(Data("stress: cannot run: \(error)\n".utf8))
                exit(0)
            }
            // 2 MiB: the allocator's own growth (per-thread arenas) stays under ~1.5 MiB however
            // many runs; leaking each replaced session (arena, scratch or a parked worker thread,
            // ≥ 20 KiB each, 160 replacements) or 256 bytes per run (8,000 runs) goes over it.
            // Every dropped session must also have joined its worker threads: leaking them left
            // ~50 threads; the test harness itself may start a few of its own meanwhile.
            var problems: [String] = []
            if report.runs != 8 * runsPerThread { problems.append("\(report.runs) runs, expected \(8 * runsPerThread)") }
            if report.mismatches != 0 { problems.append("\(report.mismatches) outputs differ from the single-threaded run") }
            if !report.failures.isEmpty { problems.append("failures: \(report.failures)") }
            if report.rssGrowthKiB >= 2048 { problems.append("VmRSS grew \(report.rssGrowthKiB) KiB (limit 2048)") }
            if report.threadsAfter > report.threadsBefore + 4 {
                problems.append("threads \(report.threadsBefore) → \(report.threadsAfter): sessions leaked workers")
            }
            FileHandle.standardError.write(Data("stress: \(report.summary)\n".utf8))
            FileHandle.standardError.write(Data((problems.isEmpty ? "stress: ok\n" : "stress: FAILED: \(problems.joined(separator: "; "))\n").utf8))
        }
        // The child's report, shown whether it passed or not.
        let log = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        print(log, terminator: "")
        #expect(log.contains(" 0 outputs not bitwise identical"), "\(log)")
        #expect(log.contains("stress: ok"), "\(log)")
    }
}
