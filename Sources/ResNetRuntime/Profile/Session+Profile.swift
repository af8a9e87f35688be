// The public face of profiling on a Session: the accumulated per-step profile, the timeline,
// and resetting both.

extension Session {
    /// One row per plan step, in step order, accumulated over every run since the session was
    /// made or `resetProfile()` was called. Empty when `profiling` is `.off`.
    public var profile: [StepProfile] {
        profiler?.profile(of: model.plan) ?? []
    }

    /// Runs accumulated in `profile` (0 when `profiling` is `.off`).
    public var profiledRuns: Int { profiler?.runs ?? 0 }

    /// The recorded timeline of every run since the session was made or `resetProfile()`:
    /// spans only when `profiling` is `.trace`, otherwise none.
    public var trace: ProfileTrace {
        profiler?.trace(of: model.plan) ?? ProfileTrace(model: model.plan.name, threads: threads, spans: [])
    }

    /// Forgets every run recorded so far (e.g. the warm-up runs before a measurement).
    public func resetProfile() {
        profiler?.reset()
    }
}
