// The clock profiles read: monotonic nanoseconds (clock_gettime(CLOCK_MONOTONIC) on Linux).

#if canImport(Glibc)
import Glibc
#else
import Dispatch
#endif

/// Nanoseconds of a monotonic clock with an arbitrary origin; never goes backwards.
enum MonotonicClock {
    @inline(__always)
    static func now() -> UInt64 {
        #if canImport(Glibc)
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
        #else
        return DispatchTime.now().uptimeNanoseconds
        #endif
    }
}
