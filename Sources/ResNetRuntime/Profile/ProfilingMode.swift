// Whether and how much a Session records about its runs (chosen once, at Session init).

/// What a `Session` records while it runs. Off by default: an unprofiled run reads no clock
/// and allocates nothing for profiling.
public enum ProfilingMode: String, CaseIterable, Hashable, Sendable {
    /// Records nothing; `session.profile` is empty.
    case off
    /// Accumulates, per plan step, its wall time and each worker's busy time over every run
    /// (fixed memory, however many runs): read with `session.profile`.
    case steps
    /// As `steps`, and also keeps every run's timeline (each step's and each worker's start and
    /// end) for `session.trace`. Grows with every run until `resetProfile()`.
    case trace
}
