// The one place raw-pointer kernels are declared safe to hand to worker threads.

/// Carries a kernel (raw arena/weight pointers plus constants) into a `@Sendable` closure.
///
/// Safe because: the pointed-to arena belongs to one Session that runs one step at a time and
/// outlives its closures; weights are immutable; and within a step, each work unit writes only its
/// own output elements and reads memory that no unit of the same step writes (PlanValidator
/// rejects partially overlapping operands), so concurrent units never race.
struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
