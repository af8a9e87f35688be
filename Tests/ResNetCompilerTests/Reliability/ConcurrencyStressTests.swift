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
            let report: StressReport
            do { report = try ConcurrencyStress.run(threads: 8, runsPerThread: runsPerThread, sessionLifetime: 50) } catch {
                FileHandle.standardError.write(Data("stress: cannot run: \(error)\n".utf8))
                exit(2)
            }
            FileHandle.standardError.write(Data("stress: \(report.summary)\n".utf8))
            // 2 MiB: the allocator's own growth (per-thread arenas) stays under ~1.5 MiB however
            // many runs; leaking each replaced session (arena, scratch or a parked worker thread,
            // ≥ 20 KiB each, 160 replacements) or 256 bytes per run (8,000 runs) goes over it.
            // Every dropped session must also have joined its worker threads.
            guard report.runs == 8 * runsPerThread, report.mismatches == 0, report.failures.isEmpty,
                  report.rssGrowthKiB < 2048, report.threadsAfter <= report.threadsBefore else { exit(1) }
        }
        // The child's report, shown whether it passed or not.
        let log = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        print(log, terminator: "")
        #expect(log.contains(" 0 outputs not bitwise identical"), "\(log)")
    }
}
