// Heavy concurrent use gives the same answers as light use and does not grow memory: 8 threads
// on a 2-core machine, thousands of runs, in a child process so other tests' memory is not counted.
import Foundation
import Testing

@Suite("Concurrency stress")
struct ConcurrencyStressTests {
    @Test("8 threads × many sessions: bitwise identical outputs, resident memory stays flat")
    func manySessionsManyThreads() async throws {
        let result = try await #require(processExitsWith: .success, observing: [\.standardErrorContent]) {
            #if DEBUG
            var runsPerThread = 150  // debug kernels are far slower; still 1,200 runs
            #else
            var runsPerThread = 5_000  // 40,000 runs, ~2.5 s on 2 cores
            #endif
            // Sanitizer runs (10–50× slower) shorten it: RESNETC_STRESS_RUNS=runs per thread.
            if let text = ProcessInfo.processInfo.environment["RESNETC_STRESS_RUNS"], let runs = Int(text), runs > 0 {
                runsPerThread = runs
            }
            let report = try ConcurrencyStress.run(threads: 8, runsPerThread: runsPerThread, sessionLifetime: 50)
            FileHandle.standardError.write(Data("stress: \(report.summary)\n".utf8))
            // 2 MiB: the allocator's own growth (per-thread arenas) is ~1.2–1.5 MiB whether the
            // pass has 8,000 or 40,000 runs; leaking 64 bytes per run (40,000 runs in release) or
            // each replaced session (arena + scratch ≥ 20 KiB, 800 replacements) goes over it.
            guard report.runs == 8 * runsPerThread, report.mismatches == 0, report.failures.isEmpty,
                  report.rssGrowthKiB < 2048 else { exit(1) }
        }
        let log = String(decoding: result.standardErrorContent, as: UTF8.self)
        print(log, terminator: "")
        #expect(log.contains(" 0 outputs not bitwise identical"), "\(log)")
    }
}
