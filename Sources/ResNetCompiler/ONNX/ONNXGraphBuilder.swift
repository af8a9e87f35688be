// The importer's state while it walks the ONNX nodes: what each ONNX value name stands for
// (an IR node, a constant, or a pattern still open such as a Pad waiting for its conv), the
// IR graph built so far, and the helpers every op translation uses.
import ResNetRuntime

/// What an ONNX value is during import.
enum ONNXValue {
    /// The output of an IR node.
    case node(Int)
    /// A constant (initializer, Constant node or folded subgraph).
    case constant(ONNXConstantSource)
    /// An IR node's output with zero padding still to be folded into the conv or pool that reads it.
    case padded(Int, pad: Int, by: ONNXNode)
    /// `Sigmoid(x)`, kept open so `x * Sigmoid(x)` becomes one SiLU.
    case sigmoid(of: Int, by: ONNXNode)
    /// `MatMul(x, W)`, kept open so a following `Add(·, b)` becomes the linear layer's bias.
    case matMul(of: Int, weight: Tensor, name: String, by: ONNXNode)
}

/// A constant's storage: an ONNX tensor as read (decoded on use; weights stay float32) or a
/// folded result.
enum ONNXConstantSource {
    case tensor(ONNXTensor)
    case folded(ONNXConstant)
}

/// Builds the IR graph from ONNX nodes in order.
struct ONNXGraphBuilder {
    /// Largest integer attribute (kernel, stride, pad, channels), as in `.net` files.
    static let maxInteger = 1 << 24
    /// Most elements of one activation, as in `.net` files.
    static let maxElements = 1 << 31

    let file: String
    let opset: Int
    var graph: Graph
    var values: [String: ONNXValue] = [:]
    var names = ONNXLayerNames()
    /// Each IR node's module scope (`layer1.0` from `/layer1/layer1.0/conv1/Conv`), for finding blocks.
    var scopes: [String] = []
    /// Materialized open patterns (a Sigmoid or MatMul also read directly), by ONNX value name.
    var materialized: [String: Int] = [:]

    init(file: String, opset: Int, graphName: String) {
        self.file = file
        self.opset = opset
        self.graph = Graph(name: graphName)
    }

    // MARK: Reading inputs

    /// The IR node behind input `index` of `node`, materializing an open pattern.
    mutating func tensorInput(_ node: ONNXNode, _ index: Int) throws(ONNXError) -> Int {
        let name = try inputName(node, index)
        switch values[name] {
        case .node(let id): return id
        case .constant: throw ONNXError.node(file, node, "input '\(name)' is a constant; resnetc needs it to be computed from the network input")
        case .padded(_, _, let pad): throw ONNXError.node(file, pad, "zero padding is only supported when it feeds a Conv or AveragePool; it feeds node '\(node.name)' (\(node.opType))")
        case .sigmoid(let x, let by): return try materialize(name) { (b: inout ONNXGraphBuilder) throws(ONNXError) in
            try b.add(.activation(.sigmoid), inputs: [x], for: by) }
        case .matMul(let x, let weight, let layer, let by): return try materialize(name) { (b: inout ONNXGraphBuilder) throws(ONNXError) in
            try b.add(.linear(LinearAttributes(outFeatures: weight.shape[0], hasBias: false)), inputs: [x], name: layer,
                      params: ["weight": weight], for: by) }
        case nil: throw ONNXError.node(file, node, "input '\(name)' is not produced by any node before it")
        }
    }

    /// The raw value of input `index` (for ops that fold patterns).
    func value(_ node: ONNXNode, _ index: Int) throws(ONNXError) -> ONNXValue {
        let name = try inputName(node, index)
        guard let value = values[name] else {
            throw ONNXError.node(file, node, "input '\(name)' is not produced by any node before it")
        }
        return value
    }

    /// Whether the optional input `index` is present.
    func hasInput(_ node: ONNXNode, _ index: Int) -> Bool { index < node.inputs.count && !node.inputs[index].isEmpty }

    func inputName(_ node: ONNXNode, _ index: Int) throws(ONNXError) -> String {
        guard hasInput(node, index) else { throw ONNXError.node(file, node, "missing input \(index + 1)") }
        return node.inputs[index]
    }

    /// Input `index` as a constant, or an error saying it must be one.
    func constantInput(_ node: ONNXNode, _ index: Int) throws(ONNXError) -> ONNXConstant {
        let name = try inputName(node, index)
        guard case .constant(let source) = values[name] else {
            throw ONNXError.node(file, node, "input '\(name)' must be a constant (an initializer or a Constant node)")
        }
        switch source {
        case .folded(let c): return c
        case .tensor(let t):
            switch (ONNXTensorDecoder.shape(of: t), ONNXTensorDecoder.doubles(t)) {
            case (.success(let shape), .success(let values)): return ONNXConstant(shape: shape, values: values)
            case (.failure(let e), _), (_, .failure(let e)): throw ONNXError.node(file, node, "tensor '\(name)' \(e.reason)")
            }
        }
    }

    /// Input `index` as a float32 weight tensor, and the initializer's name.
    func weightInput(_ node: ONNXNode, _ index: Int) throws(ONNXError) -> (Tensor, String) {
        let name = try inputName(node, index)
        guard case .constant(let source) = values[name] else {
            throw ONNXError.node(file, node, "weight input '\(name)' must be an initializer or a Constant")
        }
        switch source {
        case .folded(let c): return (Tensor(shape: c.shape, data: c.values.map(Float.init)), name)
        case .tensor(let t):
            switch (ONNXTensorDecoder.shape(of: t), ONNXTensorDecoder.floats(t)) {
            case (.success(let shape), .success(let data)): return (Tensor(shape: shape, data: data), name)
            case (.failure(let e), _), (_, .failure(let e)): throw ONNXError.node(file, node, "tensor '\(name)' \(e.reason)")
            }
        }
    }

    // MARK: Writing results

    /// Binds output `index` of `node` to `value`.
    mutating func define(_ node: ONNXNode, _ value: ONNXValue, output index: Int = 0) throws(ONNXError) {
        guard index < node.outputs.count, !node.outputs[index].isEmpty else { throw ONNXError.node(file, node, "has no output") }
        values[node.outputs[index]] = value
    }

    /// Appends an IR node for `onnx`, checking its shape and its parameters' shapes.
    mutating func add(_ op: Op, inputs: [Int], name: String = "", params: [String: Tensor] = [:],
                      for onnx: ONNXNode) throws(ONNXError) -> Int {
        let id: Int
        do { id = try graph.add(op, inputs: inputs, name: name, params: params) } catch {
            throw ONNXError.node(file, onnx, error.message)
        }
        let shape = graph.nodes[id].shape
        let elements = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        guard elements <= Self.maxElements else {
            throw ONNXError.node(file, onnx, "its output \(shape.shapeDescription) has more than \(Self.maxElements) elements")
        }
        while scopes.count < id { scopes.append("") }
        scopes.append(ONNXLayerNames.scopePath(onnx.name))
        for (param, expected) in op.parameterShapes(inputs: inputs.map { graph.nodes[$0].shape }) {
            guard let tensor = params[param] else { throw ONNXError.node(file, onnx, "missing \(param)") }
            guard tensor.shape == expected else {
                throw ONNXError.node(file, onnx, "\(param) has shape \(tensor.shape.shapeDescription), expected \(expected.shapeDescription)")
            }
        }
        return id
    }

    /// The IR node for an open pattern, created once on first use.
    private mutating func materialize(_ name: String,
                                      _ make: (inout ONNXGraphBuilder) throws(ONNXError) -> Int) throws(ONNXError) -> Int {
        if let id = materialized[name] { return id }
        let id = try make(&self)
        materialized[name] = id
        return id
    }

    /// An integer attribute (or `fallback`).
    func intAttribute(_ node: ONNXNode, _ name: String, _ fallback: Int) -> Int {
        node.attribute(name)?.int.map { Int(clamping: $0) } ?? fallback
    }

    /// An integer-list attribute (or nil).
    func intsAttribute(_ node: ONNXNode, _ name: String) -> [Int]? {
        node.attribute(name).map { $0.ints.map { Int(clamping: $0) } }
    }

    /// The shape of IR node `id`.
    func shape(_ id: Int) -> [Int] { graph.nodes[id].shape }
}
