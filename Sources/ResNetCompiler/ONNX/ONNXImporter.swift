// `resnetc import`'s library entry point: ONNX bytes → checked model → IR graph with weights →
// `.net` text and safetensors tensors keyed by the layer names in that text.
import Foundation
import ResNetRuntime

/// An imported model: the graph (weights bound), its `.net` text and the weights to save.
public struct ONNXImport: Sendable {
    /// The network as IR, with every parameter bound; ready for `Compiler.lower`.
    public var graph: Graph
    /// The default-domain opset the model imports.
    public var opset: Int
    /// The network as `.net` source; it elaborates to `graph`'s structure.
    public var source: String
    /// Every parameter, keyed like the binder expects (`layer1.0.conv1.weight`).
    public var weights: [(String, Tensor)]
}

/// Imports ONNX models of the ResNet family.
public enum ONNXImporter {
    /// Opsets the importer reads.
    public static let opsets = 11...20
    /// Largest .onnx file accepted (protobuf's own limit).
    public static let maxFileBytes = Int(Int32.max)

    /// The ONNX operators that can be imported (the constant ones only on constant inputs).
    public static let supportedOperators: Set<String> = Set([
        "Conv", "BatchNormalization", "Relu", "LeakyRelu", "Sigmoid", "Mul", "Add", "MaxPool", "AveragePool",
        "GlobalAveragePool", "Flatten", "Reshape", "Gemm", "MatMul", "Softmax", "Dropout", "Identity", "Pad",
    ]).union(ONNXConstantFolding.opTypes)

    /// Reads and imports the `.onnx` file at `path`.
    public static func importModel(path: String) throws(ONNXError) -> ONNXImport {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int else {
            throw ONNXError(file: path, message: "cannot read file (does it exist?)")
        }
        guard size <= maxFileBytes else { throw ONNXError(file: path, message: "file is \(size) bytes; the limit is \(maxFileBytes)") }
        guard let data = FileManager.default.contents(atPath: path) else { throw ONNXError(file: path, message: "cannot read file") }
        return try importModel(bytes: [UInt8](data), fileName: path)
    }

    /// Imports an ONNX model from its bytes; `fileName` names it in errors and in the `.net` header.
    public static func importModel(bytes: [UInt8], fileName: String) throws(ONNXError) -> ONNXImport {
        let model: ONNXModel
        do { model = try ONNXDecoder.model(bytes) } catch { throw ONNXError.malformed(fileName, error) }
        guard let opset = model.defaultOpset else {
            throw ONNXError(file: fileName, message: "the model imports no default-domain opset")
        }
        guard opsets.contains(opset) else {
            throw ONNXError(file: fileName, message: "opset \(opset) is not supported (resnetc imports opsets \(opsets.lowerBound) to \(opsets.upperBound))")
        }
        try checkOperators(model.graph, opset: opset, file: fileName)
        let netName = ONNXLayerNames.identifier(URL(fileURLWithPath: fileName).deletingPathExtension().lastPathComponent)
        var builder = ONNXGraphBuilder(file: fileName, opset: opset, graphName: netName.isEmpty ? "imported" : netName)
        for tensor in model.graph.initializers { builder.values[tensor.name] = .constant(.tensor(tensor)) }
        try addInput(model.graph, to: &builder)
        for node in model.graph.nodes { try translate(node, with: &builder) }
        let complete = try outputs(model.graph, in: &builder)
        while builder.scopes.count < complete.nodes.count { builder.scopes.append("") }
        let (graph, scopes) = live(complete, scopes: builder.scopes)
        let weights = graph.nodes.flatMap { node in node.params.map { (node.key($0.key), $0.value) } }
        let header = "Imported from \(URL(fileURLWithPath: fileName).lastPathComponent) "
            + "(ONNX opset \(opset)\(model.producerName.isEmpty ? "" : ", made by \(model.producerName)")) by resnetc import."
        let source = NetWriter.write(graph, header: header, scopes: scopes)
        return ONNXImport(graph: graph, opset: opset, source: source, weights: weights)
    }

    /// Every node whose operator cannot be imported, reported at once.
    static func checkOperators(_ graph: ONNXGraph, opset: Int, file: String) throws(ONNXError) {
        let unsupported = graph.nodes.filter { !["", "ai.onnx"].contains($0.domain) || !supportedOperators.contains($0.opType) }
        guard !unsupported.isEmpty else { return }
        let list = unsupported.map { node in
            "node '\(node.name)' (\(node.domain.isEmpty || node.domain == "ai.onnx" ? "" : node.domain + ".")\(node.opType))"
        }
        throw ONNXError(file: file, message: "unsupported ONNX operators (opset \(opset)): " + list.joined(separator: ", "))
    }

    /// The one graph input that is not an initializer: float, with known dimensions (a
    /// symbolic batch becomes 1; `--batch` changes it later).
    private static func addInput(_ graph: ONNXGraph, to builder: inout ONNXGraphBuilder) throws(ONNXError) {
        let file = builder.file
        let inputs = graph.inputs.filter { builder.values[$0.name] == nil }
        guard inputs.count == 1, let input = inputs.first else {
            throw ONNXError(file: file, message: "the graph has \(inputs.count) inputs (\(inputs.map { "'\($0.name)'" }.joined(separator: ", "))); resnetc imports models with exactly one")
        }
        guard input.elementType == 1 else {
            throw ONNXError(file: file, message: "input '\(input.name)' has element type \(ONNXTensorDecoder.dataTypeName(input.elementType)); only FLOAT is supported")
        }
        guard let dims = input.shape, dims.count == 4 || dims.count == 2 else {
            throw ONNXError(file: file, message: "input '\(input.name)' must have a known shape [N, C, H, W] or [N, F]")
        }
        var shape: [Int] = []
        for (axis, dim) in dims.enumerated() {
            if let dim, dim >= 1, dim <= 1 << 24 { shape.append(dim); continue }
            guard axis == 0, dim == nil else {
                throw ONNXError(file: file, message: "input '\(input.name)' has dimension \(axis) \(dim.map(String.init) ?? "symbolic"); resnetc needs fixed sizes from 1 to 16777216 (only the batch may be symbolic)")
            }
            shape.append(1)
        }
        guard shape.reduce(1, { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }) <= ONNXGraphBuilder.maxElements else {
            throw ONNXError(file: file, message: "input '\(input.name)' \(shape.shapeDescription) has more than \(ONNXGraphBuilder.maxElements) elements")
        }
        let name = builder.names.unique(ONNXLayerNames.identifier(input.name).isEmpty ? "input_" : ONNXLayerNames.identifier(input.name))
        do { builder.values[input.name] = .node(try builder.graph.add(.input, inputs: [], name: name, inputShape: shape)) } catch {
            throw ONNXError(file: file, message: "input '\(input.name)': \(error.message)")
        }
    }

    private static func translate(_ node: ONNXNode, with b: inout ONNXGraphBuilder) throws(ONNXError) {
        switch node.opType {
        case "Conv": try b.conv(node)
        case "BatchNormalization": try b.batchNorm(node)
        case "Relu": try b.activation(node, .relu)
        case "LeakyRelu":
            let alpha = node.attribute("alpha")?.float ?? 0.01
            guard alpha.isFinite else { throw ONNXError.node(b.file, node, "alpha \(alpha) is not a finite number") }
            try b.activation(node, .leakyRelu(slope: alpha))
        case "Sigmoid": try b.activation(node, .sigmoid)
        case "Mul": try b.mul(node)
        case "Add": try b.add(node)
        case "MaxPool": try b.maxPool(node)
        case "AveragePool": try b.averagePool(node)
        case "GlobalAveragePool": try b.globalAveragePool(node)
        case "Flatten": try b.flatten(node)
        case "Reshape": try b.reshape(node)
        case "Gemm": try b.gemm(node)
        case "MatMul": try b.matMul(node)
        case "Softmax": try b.softmax(node)
        case "Dropout": try b.dropout(node)
        case "Identity": try b.identity(node)
        case "Pad": try b.pad(node)
        default: try b.foldConstant(node)
        }
    }

    /// Marks the graph outputs, named after the ONNX outputs.
    private static func outputs(_ graph: ONNXGraph, in builder: inout ONNXGraphBuilder) throws(ONNXError) -> Graph {
        guard !graph.outputs.isEmpty else { throw ONNXError(file: builder.file, message: "the graph has no outputs") }
        var outputNames = ONNXLayerNames()
        for output in graph.outputs {
            let reader = ONNXNode(name: "output '\(output.name)'", opType: "output", inputs: [output.name])
            let id: Int
            do { id = try builder.tensorInput(reader, 0) } catch {
                throw ONNXError(file: builder.file, message: "output '\(output.name)' is not computed from the input")
            }
            let base = ONNXLayerNames.identifier(output.name)
            builder.graph.outputs.append(GraphOutput(name: outputNames.unique(base.isEmpty ? "output_" : base), node: id))
        }
        return builder.graph
    }

    /// The graph without nodes that no output reads (e.g. a Shape's input branch).
    private static func live(_ graph: Graph, scopes: [String]) -> (Graph, [String]) {
        var needed = Set(graph.outputs.map(\.node))
        for node in graph.nodes.reversed() where needed.contains(node.id) || node.op == .input { needed.formUnion(node.inputs) }
        var pruned = Graph(name: graph.name)
        var newID: [Int: Int] = [:]
        var liveScopes: [String] = []
        for node in graph.nodes where needed.contains(node.id) || node.op == .input {
            liveScopes.append(scopes[node.id])
            var copy = node
            copy.id = pruned.nodes.count
            copy.inputs = node.inputs.map { newID[$0]! }
            newID[node.id] = copy.id
            pruned.nodes.append(copy)
        }
        pruned.outputs = graph.outputs.map { GraphOutput(name: $0.name, node: newID[$0.node]!) }
        return (pruned, liveScopes)
    }
}
