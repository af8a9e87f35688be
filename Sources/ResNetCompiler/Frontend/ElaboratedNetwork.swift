// The frontend's full result: the graph and what the file says about reading images.
import ResNetRuntime

/// A network as elaborated from a `.net` file.
public struct ElaboratedNetwork: Sendable {
    /// The graph, without weights.
    public var graph: Graph
    /// The `preprocess { … }` recipe, checked against the input; nil for none.
    public var preprocess: Preprocessing?
    /// The class names of the `labels` file, when they fit the first output.
    public var labels: [String]?
    /// The labels file as resolved from the `.net` file's directory.
    public var labelsPath: String?
    /// Remarks that are not errors, e.g. labels dropped because `--define` changed the classes.
    public var notes: [String]

    /// Bundles an elaboration result.
    public init(graph: Graph, preprocess: Preprocessing? = nil, labels: [String]? = nil,
                labelsPath: String? = nil, notes: [String] = []) {
        self.graph = graph
        self.preprocess = preprocess
        self.labels = labels
        self.labelsPath = labelsPath
        self.notes = notes
    }
}
