// A pass: a named, pure Graph → Graph rewrite, and what it reports about its work.

/// What one run of a pass produced.
public struct PassResult: Sendable {
    /// The rewritten graph.
    public var graph: Graph
    /// How many rewrites the pass made (nodes folded, fused, removed or shared).
    public var rewrites: Int
    public init(graph: Graph, rewrites: Int) {
        self.graph = graph
        self.rewrites = rewrites
    }
}

/// A graph-to-graph rewrite with a name used on the command line and in tests
/// (`--print-after fold-batchnorm`, `--disable-pass fuse-residual`).
public struct Pass: Sendable {
    /// Stable kebab-case name.
    public let name: String
    /// One line on what the pass does, for `--help` and `inspect`.
    public let summary: String
    /// The rewrite. Must preserve the graph's outputs up to float rounding.
    public let run: @Sendable (Graph) -> PassResult

    public init(name: String, summary: String, run: @escaping @Sendable (Graph) -> PassResult) {
        self.name = name
        self.summary = summary
        self.run = run
    }
}
