// The Chrome trace a `.trace` session writes, parsed back with Foundation: every run, every
// plan step in every run and every worker's share of each compiled step, properly nested,
// with non-negative durations, names that are the plan's, and the metadata naming the lanes.

import Foundation
import ResNetRuntime
import Testing

@Suite("Chrome trace")
struct ChromeTraceTests {
    /// A parsed complete ("X") event.
    struct Event {
        var name: String, cat: String, ts: Double, dur: Double, tid: Int, run: Int, step: Int?
        var end: Double { ts + dur }
        func contains(_ other: Event) -> Bool { other.ts >= ts - 1e-3 && other.end <= end + 1e-3 }
    }

    /// The complete events and the metadata events of a trace file.
    private func parse(_ bytes: [UInt8]) throws -> (complete: [Event], metadata: [[String: Any]]) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let events = try #require(object["traceEvents"] as? [[String: Any]])
        var complete: [Event] = [], metadata: [[String: Any]] = []
        for event in events {
            #expect(event["pid"] as? Int == 1)
            let phase = try #require(event["ph"] as? String)
            if phase == "M" { metadata.append(event); continue }
            #expect(phase == "X")
            let args = try #require(event["args"] as? [String: Any])
            complete.append(Event(
                name: try #require(event["name"] as? String), cat: try #require(event["cat"] as? String),
                ts: try #require(event["ts"] as? Double), dur: try #require(event["dur"] as? Double),
                tid: try #require(event["tid"] as? Int), run: try #require(args["run"] as? Int),
                step: args["step"] as? Int))
        }
        return (complete, metadata)
    }

    @Test("runs, steps and worker spans nest; names and kinds are the plan's",
          arguments: [1, 2], [false, true])
    func structure(threads: Int, imageLanes: Bool) throws {
        let (model, input) = try profiledPlan()
        let session = try Session(model: model, threads: threads, kernels: KernelOptions(imageLanes: imageLanes),
                                  profiling: .trace)
        // On lanes the plan's two images go in rounds of one per worker, every step once per round.
        let rounds = imageLanes ? 2 / threads : 1
        let runs = 3
        for _ in 0..<runs { _ = try session.run([input]) }
        let (events, metadata) = try parse(session.trace.chromeTraceJSON())
        let steps = model.plan.steps
        let sessionLane = threads
        #expect(events.count == session.trace.spans.count)
        #expect(events.allSatisfy { $0.ts >= 0 && $0.dur >= 0 })

        let runEvents = events.filter { $0.cat == "run" }
        #expect(runEvents.map(\.name) == (0..<runs).map { "run \($0)" })
        #expect(runEvents.allSatisfy { $0.tid == sessionLane })
        for (a, b) in zip(runEvents, runEvents.dropFirst()) { #expect(a.end <= b.ts + 1e-3) }

        let stepEvents = events.filter { $0.cat != "run" && $0.tid == sessionLane }
        #expect(stepEvents.count == steps.count * runs * rounds)
        for run in 0..<runs {
            let inRun = stepEvents.filter { $0.run == run }
            #expect(inRun.map(\.name) == Array(repeating: steps.map(\.name), count: rounds).flatMap { $0 })
            #expect(inRun.map(\.cat) == Array(repeating: steps.map { StepKind($0.op).rawValue }, count: rounds).flatMap { $0 })
            #expect(inRun.map(\.step) == Array(repeating: Array(steps.indices), count: rounds).flatMap { $0 })
            #expect(inRun.allSatisfy { runEvents[run].contains($0) })
            for (a, b) in zip(inRun, inRun.dropFirst()) { #expect(a.end <= b.ts + 1e-3, "steps in order, apart") }
        }

        let workerEvents = events.filter { $0.tid != sessionLane && $0.cat != "run" }
        #expect(workerEvents.allSatisfy { (0..<threads).contains($0.tid) })
        for event in workerEvents {
            let index = try #require(event.step)
            #expect(event.name == steps[index].name || event.name == steps[index].name + ".prepare")
            #expect(event.cat == StepKind(steps[index].op).rawValue)
            #expect(stepEvents.contains { $0.run == event.run && $0.step == index && $0.contains(event) },
                    "\(event.name) run \(event.run) lies inside its step")
        }
        // Each run has the same compiled steps, each run (per round) by 1…threads distinct workers.
        let compiledPerRun = workerEvents.filter { $0.run == 0 && $0.tid == 0 }.map(\.name)
        #expect(compiledPerRun.filter { !$0.hasSuffix(".prepare") }
                == Array(repeating: steps.map(\.name), count: rounds).flatMap { $0 })
        for run in 0..<runs {
            #expect(workerEvents.filter { $0.run == run && $0.tid == 0 }.map(\.name) == compiledPerRun)
            for name in compiledPerRun {
                let workers = workerEvents.filter { $0.run == run && $0.name == name }.map(\.tid)
                #expect((rounds...threads * rounds).contains(workers.count))
                if rounds == 1 { #expect(Set(workers).count == workers.count) }
            }
        }
        if threads == 1 { #expect(workerEvents.count == compiledPerRun.count * runs) }
        #expect(events.count == runs * (1 + steps.count * rounds) + workerEvents.count)

        let threadNames = metadata.filter { $0["name"] as? String == "thread_name" }
        #expect(Set(threadNames.compactMap { $0["tid"] as? Int }) == Set(0...threads))
        #expect(metadata.contains { ($0["args"] as? [String: Any])?["name"] as? String == "resnetc profiled" })
    }

    @Test("writeChromeTrace writes the JSON; a missing directory is .unwritable")
    func writing() throws {
        let (model, input) = try profiledPlan()
        let session = try Session(model: model, profiling: .trace)
        _ = try session.run([input])
        let path = temporaryPath(".json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try session.trace.writeChromeTrace(to: path)
        let written = try #require(FileManager.default.contents(atPath: path))
        #expect(Array(written) == session.trace.chromeTraceJSON())
        #expect(throws: RuntimeError.unwritable(path: "/nonexistent/dir/t.json",
                                                reason: "directory '/nonexistent/dir' does not exist")) {
            try session.trace.writeChromeTrace(to: "/nonexistent/dir/t.json")
        }
    }

    @Test("an empty trace is still a valid file")
    func empty() throws {
        let (model, _) = try profiledPlan()
        let session = try Session(model: model, threads: 2, profiling: .trace)
        let (events, metadata) = try parse(session.trace.chromeTraceJSON())
        #expect(events.isEmpty)
        #expect(metadata.count == 3 + 2 * 2)
    }
}
