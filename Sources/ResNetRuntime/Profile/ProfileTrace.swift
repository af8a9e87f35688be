// The timeline a Session records in `.trace` mode: every run, every plan step in it, and every
// worker's stretch of work inside each compiled step.

/// Where a span sits on the timeline.
public enum TraceLane: Hashable, Sendable {
    /// The session's own lane: whole runs and, nested inside them, plan steps.
    case session
    /// One worker (index < the session's threads; worker 0 is the thread that called `run`).
    case worker(Int)
}

/// One interval of the timeline.
public struct TraceSpan: Hashable, Sendable {
    /// `run N` for a run; the plan step's name for a step; on a worker lane, the compiled step's
    /// name: the plan step's, or `<name>.prepare` for a conv's pre-pass.
    public var name: String
    /// The op kind; nil for a run.
    public var kind: StepKind?
    /// The plan step's index; nil for a run.
    public var step: Int?
    /// The run (0 = the first since the session was made or the profile reset).
    public var run: Int
    /// Which lane the span is drawn on.
    public var lane: TraceLane
    /// Start, in nanoseconds after the first recorded run began.
    public var start: UInt64
    /// Length in nanoseconds.
    public var duration: UInt64

    /// Creates a span (the session makes these; public for tests and tools).
    public init(name: String, kind: StepKind?, step: Int?, run: Int, lane: TraceLane, start: UInt64,
                duration: UInt64) {
        self.name = name
        self.kind = kind
        self.step = step
        self.run = run
        self.lane = lane
        self.start = start
        self.duration = duration
    }

    /// First nanosecond after the span.
    public var end: UInt64 { start + duration }
}

/// A session's recorded timeline (`session.trace`); write it for chrome://tracing or Perfetto
/// with `chromeTraceJSON()` / `writeChromeTrace(to:)`.
public struct ProfileTrace: Hashable, Sendable {
    /// The model's name (labels the process in a trace viewer).
    public var model: String
    /// The session's worker threads: lanes `.worker(0)` … `.worker(threads − 1)`.
    public var threads: Int
    /// Every span: per run, the run, then per compiled step its workers' spans, then the plan
    /// step's span once all of its compiled steps are done.
    public var spans: [TraceSpan]

    /// Creates a trace (the session makes these; public for tests and tools).
    public init(model: String, threads: Int, spans: [TraceSpan]) {
        self.model = model
        self.threads = threads
        self.spans = spans
    }
}
