// Two sessions timed against each other in one process: one run of each in turn, the order
// swapped every pair, so a slow spell of a shared host falls on both (`bench --versus`, and the
// tuner's whole-model check).

public enum PairedRuns {
    /// Wall milliseconds of `pairs` runs of `first` and of `second` on `inputs` (the two sessions'
    /// models take the same inputs), pair by pair, after one untimed run of each.
    public static func measure(_ first: Session, _ second: Session, inputs: [Tensor],
                               pairs: Int) throws(RuntimeError) -> [(first: Double, second: Double)] {
        _ = try first.run(inputs)
        _ = try second.run(inputs)
        func timed(_ session: Session) throws(RuntimeError) -> Double {
            let start = MonotonicClock.now()
            _ = try session.run(inputs)
            return Double(MonotonicClock.now() - start) / 1e6
        }
        var times: [(first: Double, second: Double)] = []
        times.reserveCapacity(pairs)
        for pair in 0..<pairs {
            if pair % 2 == 0 {
                let a = try timed(first)
                times.append((a, try timed(second)))
            } else {
                let b = try timed(second)
                times.append((try timed(first), b))
            }
        }
        return times
    }

    /// `second / first` of every pair of `times`, in ascending order.
    public static func ratios(_ times: [(first: Double, second: Double)]) -> [Double] {
        times.map { $0.second / max($0.first, 1e-9) }.sorted()
    }

    /// The median of `second / first` over `times`.
    public static func medianRatio(_ times: [(first: Double, second: Double)]) -> Double {
        let sorted = ratios(times)
        return sorted.isEmpty ? 1 : sorted[sorted.count / 2]
    }
}
