// The error lowering throws for graphs that cannot become a Plan.

/// Why a graph could not be lowered; names the node or the missing parameter key.
public struct LoweringError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// Makes an error with the given message.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
