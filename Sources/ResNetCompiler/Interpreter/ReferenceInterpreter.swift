// The reference interpreter: runs a Graph with plain Double loops; the oracle for passes and kernels.
import ResNetRuntime

/// Runs a graph exactly as PyTorch would (eval mode), accumulating in Double.
public enum ReferenceInterpreter {
    /// Runs `graph` on `inputs` (in `graph.inputIDs` order); returns outputs in `graph.outputs` order.
    public static func run(_ graph: Graph, inputs: [Tensor]) throws(InterpreterError) -> [Tensor] {
        try checkStructure(graph)
        let inputIDs = graph.inputIDs
        guard inputs.count == inputIDs.count else {
            throw InterpreterError("graph \(graph.name) expects \(inputIDs.count) input(s), found \(inputs.count)")
        }
        var values = [ReferenceValue?](repeating: nil, count: graph.nodes.count)
        for (id, tensor) in zip(inputIDs, inputs) {
            let node = graph.nodes[id]
            guard tensor.shape == node.shape, tensor.data.count == node.shape.reduce(1, *) else {
                throw InterpreterError("input \(label(node)) expects shape \(node.shape.shapeDescription), "
                    + "found \(tensor.shape.shapeDescription)")
            }
            values[id] = ReferenceValue(shape: tensor.shape, data: tensor.data.map(Double.init))
        }
        for node in graph.nodes where node.op != .input {
            let params = try parameters(of: node, in: graph)
            let operands = node.inputs.map { values[$0]! }
            values[node.id] = ReferenceOps.evaluate(node.op, operands: operands, params: params, shape: node.shape)
        }
        return graph.outputs.map { output in
            let v = values[output.node]!
            return Tensor(shape: v.shape, data: v.data.map { Float($0) })
        }
    }

    /// Rejects graphs whose operands, shapes or outputs are inconsistent, so evaluation cannot trap.
    private static func checkStructure(_ graph: Graph) throws(InterpreterError) {
        for (index, node) in graph.nodes.enumerated() {
            guard node.id == index else { throw InterpreterError("node %\(index) has id \(node.id)") }
            for input in node.inputs where input < 0 || input >= index {
                throw InterpreterError("\(label(node)): operand %\(input) is not an earlier node")
            }
            if node.op == .input { continue }
            let inferred: [Int]
            do throws(ShapeError) {
                inferred = try node.op.outputShape(inputs: node.inputs.map { graph.nodes[$0].shape })
            } catch {
                throw InterpreterError("\(label(node)): \(error.message)")
            }
            guard inferred == node.shape else {
                throw InterpreterError("\(label(node)): stored shape \(node.shape.shapeDescription) "
                    + "differs from inferred \(inferred.shapeDescription)")
            }
        }
        for output in graph.outputs where output.node < 0 || output.node >= graph.nodes.count {
            throw InterpreterError("output \(output.name) refers to missing node %\(output.node)")
        }
    }

    /// The node's parameters as Double arrays keyed by suffix, checked against `op.parameterShapes`.
    private static func parameters(of node: Node, in graph: Graph) throws(InterpreterError) -> [String: [Double]] {
        var result: [String: [Double]] = [:]
        for (name, shape) in node.op.parameterShapes(inputs: node.inputs.map { graph.nodes[$0].shape }) {
            guard let tensor = node.params[name] else {
                throw InterpreterError("missing parameter \(node.key(name))")
            }
            guard tensor.shape == shape, tensor.data.count == shape.reduce(1, *) else {
                throw InterpreterError("parameter \(node.key(name)) has shape \(tensor.shape.shapeDescription), "
                    + "expected \(shape.shapeDescription)")
            }
            result[name] = tensor.data.map(Double.init)
        }
        return result
    }

    /// `%12 layer1.0.conv1`, or `%12` for unnamed nodes.
    static func label(_ node: Node) -> String { node.name.isEmpty ? "%\(node.id)" : "%\(node.id) \(node.name)" }
}
