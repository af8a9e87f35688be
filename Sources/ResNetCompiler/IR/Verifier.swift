// Structural checks of a Graph: ids, topology, arity, shapes, parameters, outputs and names.
import ResNetRuntime

/// A broken graph invariant; `message` names the node (`%12 layer1.0.conv1: ...`).
public struct VerifyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong and where.
    public var message: String
    /// Makes an error with the given message.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// Checks every invariant later passes and the lowering rely on.
public enum Verifier {
    /// Throws the first broken invariant found, walking nodes in order.
    public static func verify(_ graph: Graph) throws(VerifyError) {
        guard graph.nodes.contains(where: { $0.op == .input }) else { throw VerifyError("graph \(graph.name) has no input") }
        guard !graph.outputs.isEmpty else { throw VerifyError("graph \(graph.name) has no output") }
        var layerNames: [String: Int] = [:]
        for (index, node) in graph.nodes.enumerated() {
            guard node.id == index else { throw VerifyError("node %\(index) has id \(node.id)") }
            try verifyOperands(node)
            try verifyShape(node, graph)
            try verifyParams(node, graph)
            if !node.name.isEmpty, !node.op.parameterShapes(inputs: node.inputs.map { graph.nodes[$0].shape }).isEmpty {
                if let first = layerNames[node.name] {
                    throw VerifyError("\(label(node)): layer name is already used by %\(first)")
                }
                layerNames[node.name] = node.id
            }
        }
        var outputNames: Set<String> = []
        for output in graph.outputs {
            guard output.node >= 0, output.node < graph.nodes.count else {
                throw VerifyError("output \(output.name) refers to missing node %\(output.node)")
            }
            guard outputNames.insert(output.name).inserted else { throw VerifyError("output name \(output.name) is used twice") }
        }
    }

    private static func verifyOperands(_ node: Node) throws(VerifyError) {
        for input in node.inputs where input < 0 || input >= node.id {
            throw VerifyError("\(label(node)): operand %\(input) is not an earlier node")
        }
        guard node.inputs.count == node.op.arity else {
            throw VerifyError("\(label(node)): \(node.op.mnemonic) takes \(node.op.arity) operand(s), found \(node.inputs.count)")
        }
    }

    private static func verifyShape(_ node: Node, _ graph: Graph) throws(VerifyError) {
        if node.op == .input {
            guard !node.shape.isEmpty, node.shape.allSatisfy({ $0 >= 1 }) else {
                throw VerifyError("\(label(node)): input shape \(node.shape.shapeDescription) has a dimension < 1")
            }
            return
        }
        let inferred: [Int]
        do throws(ShapeError) {
            inferred = try node.op.outputShape(inputs: node.inputs.map { graph.nodes[$0].shape })
        } catch {
            throw VerifyError("\(label(node)): \(error.message)")
        }
        guard inferred == node.shape else {
            throw VerifyError("\(label(node)): stored shape \(node.shape.shapeDescription) differs from inferred \(inferred.shapeDescription)")
        }
    }

    /// Params may be absent (not yet bound); when present they must match exactly.
    private static func verifyParams(_ node: Node, _ graph: Graph) throws(VerifyError) {
        guard !node.params.isEmpty else { return }
        let expected = node.op.parameterShapes(inputs: node.inputs.map { graph.nodes[$0].shape })
        for (name, shape) in expected {
            guard let tensor = node.params[name] else { throw VerifyError("\(label(node)): missing parameter \(node.key(name))") }
            guard tensor.shape == shape, tensor.data.count == shape.reduce(1, *) else {
                throw VerifyError("\(label(node)): parameter \(node.key(name)) has shape \(tensor.shape.shapeDescription), expected \(shape.shapeDescription)")
            }
        }
        let known = Set(expected.map(\.name))
        if let extra = node.params.keys.sorted().first(where: { !known.contains($0) }) {
            throw VerifyError("\(label(node)): unexpected parameter \(node.key(extra))")
        }
    }

    private static func label(_ node: Node) -> String { node.name.isEmpty ? "%\(node.id)" : "%\(node.id) \(node.name)" }
}
