// The kind of a plan step's op, without its attributes: what profiles group and label rows by.

/// A step's op kind. The raw value is the short label used in profiles and traces
/// (`conv`, `maxpool`, ...), the same words `resnetc inspect` uses.
public enum StepKind: String, CaseIterable, Hashable, Sendable {
    case conv
    case linear
    case scaleShift = "scale_shift"
    case activation
    case add
    case maxPool = "maxpool"
    case avgPool = "avgpool"
    case globalAvgPool = "global_avgpool"
    case softmax
    case shortcutA = "shortcut_a"
    case copy

    /// The kind of `op`.
    public init(_ op: StepOp) {
        switch op {
        case .conv2d: self = .conv
        case .linear: self = .linear
        case .scaleShift: self = .scaleShift
        case .activation: self = .activation
        case .add: self = .add
        case .maxPool: self = .maxPool
        case .avgPool: self = .avgPool
        case .globalAvgPool: self = .globalAvgPool
        case .softmax: self = .softmax
        case .shortcutA: self = .shortcutA
        case .copy: self = .copy
        }
    }
}
