// The graph IR: nodes in topological order, each producing one value with a known shape.
import ResNetRuntime

/// One IR node: an op applied to earlier nodes' values.
public struct Node: Sendable {
    /// Index of this node in `Graph.nodes`.
    public var id: Int
    /// torchvision-style layer name (`layer3.4.conv2`) for layers with parameters; "" otherwise.
    public var name: String
    public var op: Op
    /// Ids of the nodes whose values this node reads (always smaller than `id`).
    public var inputs: [Int]
    /// Shape of the value this node produces.
    public var shape: [Int]
    /// Parameter tensors keyed by torchvision suffix (`weight`, `bias`, `running_mean`, ...).
    public var params: [String: Tensor]
    /// Where the node was written, for diagnostics.
    public var location: SourceLocation?

    public init(id: Int, name: String, op: Op, inputs: [Int], shape: [Int],
                params: [String: Tensor] = [:], location: SourceLocation? = nil) {
        self.id = id
        self.name = name
        self.op = op
        self.inputs = inputs
        self.shape = shape
        self.params = params
        self.location = location
    }

    /// The full torchvision key of one parameter: `layer1.0.conv1.weight`.
    public func key(_ param: String) -> String { name.isEmpty ? param : "\(name).\(param)" }
}

/// A named model output.
public struct GraphOutput: Hashable, Sendable {
    public var name: String
    public var node: Int
    public init(name: String, node: Int) {
        self.name = name
        self.node = node
    }
}

/// A network as a DAG in topological order.
public struct Graph: Sendable {
    public var name: String
    public var nodes: [Node]
    /// Output values, in declaration order.
    public var outputs: [GraphOutput]

    public init(name: String, nodes: [Node] = [], outputs: [GraphOutput] = []) {
        self.name = name
        self.nodes = nodes
        self.outputs = outputs
    }

    /// Ids of the input nodes, in order.
    public var inputIDs: [Int] { nodes.filter { $0.op == .input }.map(\.id) }

    /// For each node, the ids of the nodes that read it.
    public func users() -> [[Int]] {
        var users = [[Int]](repeating: [], count: nodes.count)
        for node in nodes {
            for input in node.inputs where !users[input].contains(node.id) { users[input].append(node.id) }
        }
        return users
    }

    /// Appends a node whose shape is inferred from its inputs. Throws on a shape mismatch.
    @discardableResult
    public mutating func add(_ op: Op, inputs: [Int], name: String = "",
                             params: [String: Tensor] = [:], location: SourceLocation? = nil,
                             inputShape: [Int]? = nil) throws(ShapeError) -> Int {
        let shape: [Int]
        if case .input = op {
            guard let given = inputShape else { throw ShapeError("an input needs a shape") }
            shape = given
        } else {
            shape = try op.outputShape(inputs: inputs.map { nodes[$0].shape })
        }
        let id = nodes.count
        nodes.append(Node(id: id, name: name, op: op, inputs: inputs, shape: shape, params: params,
                          location: location))
        return id
    }
}
