// How much memory a model may make the runtime allocate: the arena a Session zeroes and the
// weight blob a Model copies are sized by numbers in the plan, so they are checked first.

/// Memory limits a Model enforces when it is loaded, before a Session allocates anything.
/// The defaults (16 GiB each) admit ResNet-152 at a batch of several hundred; raise them for more.
public struct RuntimeLimits: Sendable, Equatable {
    /// Largest activation arena, in bytes (4 × `Plan.arenaFloats`).
    public var maxArenaBytes: Int
    /// Largest weight blob, in bytes (4 × `Plan.weightFloats`).
    public var maxWeightBytes: Int

    /// Limits with the given values.
    public init(maxArenaBytes: Int = 1 << 34, maxWeightBytes: Int = 1 << 34) {
        self.maxArenaBytes = maxArenaBytes
        self.maxWeightBytes = maxWeightBytes
    }

    /// The defaults.
    public static let standard = RuntimeLimits()

    /// Throws `.limitExceeded` when `plan` (from `path`) needs more memory than allowed.
    /// `plan` must already be validated (its float counts are ≤ 2^34, so ×4 cannot overflow).
    func check(_ plan: Plan, path: String) throws(RuntimeError) {
        if 4 * plan.arenaFloats > maxArenaBytes {
            throw .limitExceeded(path: path, what: "activation arena", bytes: 4 * plan.arenaFloats,
                                 limit: maxArenaBytes, setting: "maxArenaBytes")
        }
        if 4 * plan.weightFloats > maxWeightBytes {
            throw .limitExceeded(path: path, what: "weights", bytes: 4 * plan.weightFloats,
                                 limit: maxWeightBytes, setting: "maxWeightBytes")
        }
    }
}
