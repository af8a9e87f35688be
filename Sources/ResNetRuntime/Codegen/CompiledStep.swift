// A plan step turned into a closure over raw pointers: what a Session runs, in order. Package-
// visible so the runtime's tests can drive the step runners (LaneClaims) with steps of their own.

/// One executable step: `units` independent work units and the closure that runs a range of them.
package struct CompiledStep: @unchecked Sendable {
    // @unchecked: the closure captures kernels holding raw arena/weight pointers. Distinct units
    // write disjoint output elements and only read memory no unit of this step writes (the
    // validator rejects overlapping operands), so running disjoint ranges concurrently is safe.

    /// The plan step's name (for profiling and messages).
    package let name: String
    /// Independent work units; any split of `0..<units` gives bitwise-identical results.
    package let units: Int
    /// Runs the given units on worker `worker` (< the session's thread count), which selects
    /// that worker's private scratch slot.
    package let body: @Sendable (Range<Int>, Int) -> Void
    /// Memory the closure points into (packed weights, scratch), kept alive with the step.
    let owned: [AnyObject]
    /// The kernel chosen for a conv (`winograd4-2x14`, `direct-4x7`, `implicit-gemm`), else "".
    let kernel: String

    package init(name: String, units: Int, owned: [AnyObject] = [], kernel: String = "",
         body: @escaping @Sendable (Range<Int>, Int) -> Void) {
        self.name = name
        self.kernel = kernel
        self.units = units
        self.owned = owned
        self.body = body
    }
}
