// Every way a compilation can fail, each rendered as a message that names its file or tensor.
import ResNetRuntime

/// Why a compilation failed.
public enum CompileError: Error, Sendable, CustomStringConvertible {
    /// A file could not be read.
    case io(path: String, reason: String)
    /// The DSL source has errors (all of them, rendered with locations).
    case dsl(DSLError)
    /// The weights do not fit the network.
    case weights(WeightError)
    /// The graph broke an IR rule (a compiler bug or a hand-built graph).
    case invalidGraph(String)
    /// The runtime rejected the lowered plan.
    case runtime(RuntimeError)

    public var description: String {
        switch self {
        case .io(let path, let reason): return "\(path): error: \(reason)"
        case .dsl(let e): return e.rendered
        case .weights(let e): return e.description
        case .invalidGraph(let m): return "error: invalid graph: \(m)"
        case .runtime(let e): return "error: \(e)"
        }
    }
}
