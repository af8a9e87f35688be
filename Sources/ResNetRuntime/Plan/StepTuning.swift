// A convolution step's kernel choice as `resnetc tune` measured it on one machine, stored in the
// plan, and the rules a stored one must meet.

/// Overrides of the chooser's defaults for one conv step (`Step.tuning`). Each field nil = the
/// default. A tuning changes which kernel or loop order runs, so it may change the last bits of
/// a result (Winograd vs direct, or the order partial sums are added in); a given file still
/// gives bitwise the same results for every thread count.
public struct StepTuning: Codable, Hashable, Sendable {
    /// The algorithm of a 3×3 conv (stride 1 or 2) over blocked tensors (`direct`, `winograd2`,
    /// `winograd4`); ignored where Winograd does not apply.
    public var schedule: ConvSchedule?
    /// Bytes of weights per reduction pass of the blocked direct kernels (0 = one pass over
    /// every input channel; see `BlockedConvTuning.splitSliceBytes`).
    public var splitSliceBytes: Int?

    /// Largest slice a plan may ask for: 16 MiB (more is one pass in practice).
    public static let maxSliceBytes = 1 << 24

    public init(schedule: ConvSchedule? = nil, splitSliceBytes: Int? = nil) {
        self.schedule = schedule
        self.splitSliceBytes = splitSliceBytes
    }

    /// How `tune` and `inspect` name it: `F(2,3)`, `slice 64 KiB`, `one pass`, ….
    public var summary: String {
        var parts: [String] = []
        switch schedule {
        case .direct: parts.append("direct")
        case .winograd2: parts.append("F(2,3)")
        case .winograd4: parts.append("F(4,3)")
        case .auto, nil: break
        }
        if let slice = splitSliceBytes {
            parts.append(slice == 0 ? "one pass" : slice % 1024 == 0 ? "slice \(slice / 1024) KiB" : "slice \(slice) bytes")
        }
        return parts.isEmpty ? "default" : parts.joined(separator: ", ")
    }

    /// Why this tuning cannot be stored on a step of `op`, or nil.
    func problem(for op: StepOp) -> String? {
        guard case .conv2d = op else { return "a tuning applies only to convolutions" }
        if let slice = splitSliceBytes, !(0...Self.maxSliceBytes).contains(slice) {
            return "tuned reduction slice of \(slice) bytes is outside 0...\(Self.maxSliceBytes)"
        }
        return nil
    }
}
