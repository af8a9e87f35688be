// The error the reference interpreter throws for bad inputs, missing parameters or broken graphs.

/// Why the reference interpreter could not run a graph; `message` names the input or parameter.
public struct InterpreterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Human-readable reason, with expected vs found shapes where relevant.
    public var message: String
    /// Makes an error with the given message.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
