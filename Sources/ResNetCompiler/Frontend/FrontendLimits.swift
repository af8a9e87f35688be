// How large a network a `.net` source may describe: checked while elaborating, before any
// weight or activation memory exists, so hostile source gets an error instead of an OOM kill.

/// Resource limits of the frontend; every one over-limit input gets an error naming the limit.
/// The defaults fit every torchvision ResNet many times over; raise them for bigger networks.
public struct FrontendLimits: Sendable, Equatable {
    /// Graph nodes (layers, including inputs and adds).
    public var maxNodes: Int
    /// Largest `repeat` count.
    public var maxRepeat: Int
    /// Deepest chain of block calls (a block calling a block calling …).
    public var maxBlockDepth: Int
    /// Elements in one tensor, activation or weight.
    public var maxTensorElements: Int
    /// Weight floats in the whole network (2^30 floats = 4 GiB).
    public var maxParameters: Int
    /// Statements executed plus repeat iterations, so nested repeats cannot hang.
    public var maxSteps: Int

    /// Limits with the given values (the defaults are `FrontendLimits.standard`).
    public init(maxNodes: Int = 100_000, maxRepeat: Int = 10_000, maxBlockDepth: Int = 64,
                maxTensorElements: Int = 1 << 31, maxParameters: Int = 1 << 30, maxSteps: Int = 1_000_000) {
        self.maxNodes = maxNodes
        self.maxRepeat = maxRepeat
        self.maxBlockDepth = maxBlockDepth
        self.maxTensorElements = maxTensorElements
        self.maxParameters = maxParameters
        self.maxSteps = maxSteps
    }

    /// The defaults.
    public static let standard = FrontendLimits()

    /// `2^31` for powers of two of 2^20 and up (how the docs state them), else the number.
    static func describe(_ limit: Int) -> String {
        guard limit >= 1 << 20, limit.nonzeroBitCount == 1 else { return String(limit) }
        return "2^\(limit.trailingZeroBitCount)"
    }
}
