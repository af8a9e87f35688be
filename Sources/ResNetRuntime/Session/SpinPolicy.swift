// Whether a thread that spins waiting for another of its session's threads gives up its core now
// and then: only when the session has more threads than the CPUs it may run on, so that the
// thread it waits for can run. Otherwise a yield only hands the core to some other process, which
// then keeps it until the scheduler's next tick: with a busy loop at nice 19 beside it on one
// core, ResNet-50 on 2 threads took 64 ms per run instead of 43.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// How a session's threads spin while they wait for one another.
package struct SpinPolicy: Sendable {
    /// Whether spinning threads yield every 256 polls.
    package let yields: Bool

    /// The policy for a session of `threads` threads on this process's CPUs.
    package init(threads: Int) { yields = threads > Self.availableCPUs }

    /// One poll of a spin loop: every 256th yields the core when `yields`.
    @inline(__always)
    package func poll(_ spins: inout Int) {
        spins &+= 1
        if yields, spins & 255 == 0 { sched_yield() }
    }

    /// The processors the system has active (Foundation's count; it ignores affinity masks).
    package static let availableCPUs = max(1, ProcessInfo.processInfo.activeProcessorCount)
}
