// LaneClaims: an owner and a helper share a lane's steps. Every unit runs exactly once, a step's
// units all finish before any unit of the next starts, and each runs on its runner's own slot.

import Dispatch
import Foundation
import ResNetRuntime
import Synchronization
import Testing

@Suite("Lane claims")
struct LaneClaimsTests {
    /// What the steps' units record: for each unit, when it started and ended (a shared tick)
    /// and which scratch slot ran it.
    final class Record: @unchecked Sendable {
        let tick = Atomic<Int>(0)
        /// Set once the helper's thread runs, and once the owner has run every step.
        let ready = Atomic<Bool>(false), done = Atomic<Bool>(false)
        let start: UnsafeMutableBufferPointer<Int>
        let end: UnsafeMutableBufferPointer<Int>
        let slot: UnsafeMutableBufferPointer<Int>
        let runs: UnsafeMutableBufferPointer<Int>
        init(units: Int) {
            runs = .allocate(capacity: units)
            runs.initialize(repeating: 0)
            start = .allocate(capacity: units)
            end = .allocate(capacity: units)
            slot = .allocate(capacity: units)
            start.initialize(repeating: -1)
            end.initialize(repeating: -1)
            slot.initialize(repeating: -1)
        }
        deinit {
            start.deallocate()
            end.deallocate()
            slot.deallocate()
            runs.deallocate()
        }
    }

    @Test("an owner and a helper: every unit once, steps in order, slots 0 and 1", arguments: 0..<20)
    func shared(seed: Int) throws {
        _ = try runShared(seed: seed)
    }

    @Test("the helper takes units")
    func helperWorks() throws {
        // On a loaded machine (the suite's other tests on both cores) the helper's thread may not
        // get a core during a whole run; run until it has taken units, up to 500 runs.
        var helped = 0, runs = 0
        while helped == 0 && runs < 500 {
            helped += try runShared(seed: runs % 20)
            runs += 1
        }
        #expect(helped > 0, "the helper ran no unit in \(runs) runs")
    }

    /// Runs 60 steps of 1–23 units on an owner and a helper, checks them, and returns how many
    /// units the helper ran.
    private func runShared(seed: Int) throws -> Int {
        let units = (0..<60).map { 1 + ($0 * 7 + seed) % 23 }
        let first = units.reduce(into: [0]) { $0.append($0.last! + $1) }
        let record = Record(units: first.last!)
        let steps = units.enumerated().map { index, count in
            CompiledStep(name: "s\(index)", units: count) { range, slot in
                for unit in range {
                    let at = first[index] + unit
                    record.start[at] = record.tick.add(1, ordering: .sequentiallyConsistent).newValue
                    for _ in 0..<(500 * (1 + unit % 3)) { _ = record.tick.load(ordering: .relaxed) }
                    record.slot[at] = slot
                    record.runs[at] += 1
                    record.end[at] = record.tick.add(1, ordering: .sequentiallyConsistent).newValue
                }
            }
        }
        let claims = LaneClaims()
        // The helper on a thread of its own, joining and leaving as the owner runs; the owner here.
        let helperDone = DispatchSemaphore(value: 0)
        let helper = Thread {
            record.ready.store(true, ordering: .releasing)
            while !record.done.load(ordering: .acquiring) { claims.help(steps) }
            helperDone.signal()
        }
        helper.start()
        while !record.ready.load(ordering: .acquiring) { sched_yield() }
        claims.run(steps)
        record.done.store(true, ordering: .releasing)
        helperDone.wait()
        #expect(record.runs.allSatisfy { $0 == 1 }, "every unit ran once")
        #expect(record.slot.allSatisfy { $0 == 0 || $0 == 1 })
        for index in 1..<units.count {
            let previousEnd = (first[index - 1]..<first[index]).map { record.end[$0] }.max()!
            let nextStart = (first[index]..<first[index + 1]).map { record.start[$0] }.min()!
            #expect(previousEnd < nextStart, "step \(index) started before step \(index - 1) finished")
        }
        return record.slot.filter { $0 == 1 }.count
    }
}
