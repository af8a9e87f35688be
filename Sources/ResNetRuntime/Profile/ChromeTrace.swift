// Writes a ProfileTrace in the Chrome trace-event format (JSON object form), which
// chrome://tracing and Perfetto (ui.perfetto.dev) open.

import Foundation

extension ProfileTrace {
    /// The trace as a Chrome trace-event JSON object: `{"traceEvents": [...]}` with one complete
    /// event (`"ph": "X"`, `ts`/`dur` in microseconds) per span and metadata events (`"ph": "M"`)
    /// naming the process and threads. Process id 1; thread id = worker index for worker lanes,
    /// and `threads` for the session lane (runs, with the plan steps nested inside). `cat` is
    /// the op kind (`run` for runs); `args` holds the run and plan step indices.
    public func chromeTraceJSON() -> [UInt8] {
        var events = metadataEvents()
        events.reserveCapacity(events.count + spans.count)
        for span in spans {
            events.append(ChromeTraceEvent(
                name: span.name, cat: span.kind?.rawValue ?? "run", ph: "X",
                ts: Double(span.start) / 1000, dur: Double(span.duration) / 1000, pid: 1, tid: tid(span.lane),
                args: ChromeTraceArgs(run: span.run, step: span.step)))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain strings and finite numbers cannot fail.
        let data = (try? encoder.encode(ChromeTraceFile(traceEvents: events))) ?? Data()
        return Array(data)
    }

    /// Writes `chromeTraceJSON()` to `path` (atomically); `.unwritable` names the path and why.
    public func writeChromeTrace(to path: String) throws(RuntimeError) {
        try RNCFile.writeBytes(chromeTraceJSON(), to: path)
    }

    /// The session lane's thread id: after the workers'.
    private var sessionTid: Int { threads }

    private func tid(_ lane: TraceLane) -> Int {
        switch lane {
        case .session: return sessionTid
        case .worker(let index): return index
        }
    }

    /// Names the process and every lane, the session lane sorted first.
    private func metadataEvents() -> [ChromeTraceEvent] {
        func meta(_ name: String, tid: Int, _ args: ChromeTraceArgs) -> ChromeTraceEvent {
            ChromeTraceEvent(name: name, cat: nil, ph: "M", ts: nil, dur: nil, pid: 1, tid: tid, args: args)
        }
        var events = [meta("process_name", tid: 0, ChromeTraceArgs(name: "resnetc \(model)")),
                      meta("thread_name", tid: sessionTid, ChromeTraceArgs(name: "session (runs, steps)")),
                      meta("thread_sort_index", tid: sessionTid, ChromeTraceArgs(sortIndex: -1))]
        for worker in 0..<threads {
            let name = worker == 0 ? "worker 0 (calling thread)" : "worker \(worker)"
            events.append(meta("thread_name", tid: worker, ChromeTraceArgs(name: name)))
            events.append(meta("thread_sort_index", tid: worker, ChromeTraceArgs(sortIndex: worker)))
        }
        return events
    }
}

/// The file's top-level object.
private struct ChromeTraceFile: Encodable {
    var traceEvents: [ChromeTraceEvent]
    var displayTimeUnit = "ms"
}

/// One trace event; nil fields are left out.
private struct ChromeTraceEvent: Encodable {
    var name: String
    var cat: String?
    var ph: String
    var ts: Double?
    var dur: Double?
    var pid: Int
    var tid: Int
    var args: ChromeTraceArgs?
}

/// The `args` of an event: a metadata value, or the run and step a span belongs to.
private struct ChromeTraceArgs: Encodable {
    var name: String?
    var sortIndex: Int?
    var run: Int?
    var step: Int?

    init(name: String? = nil, sortIndex: Int? = nil, run: Int? = nil, step: Int? = nil) {
        self.name = name
        self.sortIndex = sortIndex
        self.run = run
        self.step = step
    }

    enum CodingKeys: String, CodingKey {
        case name
        case sortIndex = "sort_index"
        case run
        case step
    }
}
