// Whether a thread that spins waiting for another of its session's threads gives up its core now
// and then: only while this process's sessions have more threads than the system has processors,
// so that the thread it waits for may need that core. Otherwise a yield only hands the core to
// some other process, which then keeps it for a time slice: with a busy loop at nice 19 pinned to
// one core, ResNet-50 on 2 threads took 51 ms per run instead of 39 while every spin loop yielded.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// How a session's threads spin while they wait for one another.
package enum SpinPolicy {
    /// Threads (callers and workers) of this process's live worker pools.
    private static let sessionThreads = Atomic<Int>(0)

    /// A pool of `threads` threads starts (the caller included).
    package static func register(threads: Int) { sessionThreads.add(threads, ordering: .relaxed) }

    /// A pool of `threads` threads has stopped.
    package static func unregister(threads: Int) { sessionThreads.subtract(threads, ordering: .relaxed) }

    /// Whether spinning threads yield: more session threads than processors.
    package static var yields: Bool { sessionThreads.load(ordering: .relaxed) > availableCPUs }

    /// One poll of a spin loop: every 256th yields the core while `yields`.
    @inline(__always)
    package static func poll(_ spins: inout Int) {
        spins &+= 1
        if spins & 255 == 0, yields { sched_yield() }
    }

    /// The processors the system has active (Foundation's count; it ignores affinity masks).
    package static let availableCPUs = max(1, ProcessInfo.processInfo.activeProcessorCount)
}
