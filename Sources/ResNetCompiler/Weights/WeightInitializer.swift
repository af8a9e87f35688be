// Deterministic synthetic weights and inputs for running a network without a weights file.
import ResNetRuntime

/// Fills graphs with seeded, bit-reproducible parameters scaled to keep deep nets finite.
public enum WeightInitializer {
    /// Returns `graph` with every parameter filled from `seed` and the parameter's full key.
    public static func initialize(_ graph: Graph, seed: UInt64 = 0) -> Graph {
        var filled = graph
        let users = graph.users()
        for node in graph.nodes {
            let shapes = node.op.parameterShapes(inputs: node.inputs.map { graph.nodes[$0].shape })
            // A BN that feeds a residual add ends a block's branch; damping its scale keeps the
            // residual stream from growing geometrically over 50+ blocks (cf. zero_init_residual).
            let endsResidualBranch = users[node.id].contains { graph.nodes[$0].op == .add }
            for (param, shape) in shapes {
                var random = SplitMix64.stream(seed: seed, key: node.key(param))
                let count = shape.reduce(1, *)
                let fanIn = max(1, shape.count > 1 ? shape.dropFirst().reduce(1, *) : fanInOfBias(node, graph))
                let values = (0..<count).map { _ in
                    sample(op: node.op, param: param, fanIn: fanIn, damped: endsResidualBranch, &random)
                }
                filled.nodes[node.id].params[param] = Tensor(shape: shape, data: values)
            }
        }
        return filled
    }

    /// A seeded input tensor, roughly N(0, 1), identical on every machine.
    public static func makeInput(shape: [Int], seed: UInt64 = 1) -> Tensor {
        var random = SplitMix64.stream(seed: seed, key: "input")
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, data: (0..<count).map { _ in random.normalish() })
    }

    /// The fan-in of the weight that a bias belongs to (conv: C_in/g·k·k, linear: I).
    private static func fanInOfBias(_ node: Node, _ graph: Graph) -> Int {
        guard let first = node.inputs.first else { return 1 }
        let input = graph.nodes[first].shape
        switch node.op {
        case .conv(let a): return input[1] / max(1, a.groups) * a.kernel * a.kernel
        case .linear: return input[1]
        default: return 1
        }
    }

    private static func sample(op: Op, param: String, fanIn: Int, damped: Bool,
                               _ random: inout SplitMix64) -> Float {
        switch (op, param) {
        case (.batchNorm, "weight"): return random.uniform(0.5, 1.5) * (damped ? 0.2 : 1)
        case (.batchNorm, "bias"): return random.uniform(-0.1, 0.1)
        case (.batchNorm, "running_mean"): return random.uniform(-0.1, 0.1)
        case (.batchNorm, "running_var"): return random.uniform(0.5, 1.5)
        case (.scaleShift, "scale"): return random.uniform(0.5, 1.5)
        case (.scaleShift, "shift"): return random.uniform(-0.1, 0.1)
        case (_, "weight"):
            // Kaiming-uniform: variance 2/fan_in preserves the second moment through ReLU.
            let bound = (6 / Float(fanIn)).squareRoot()
            return random.uniform(-bound, bound)
        default:
            let bound = 1 / Float(fanIn).squareRoot()
            return random.uniform(-bound, bound)
        }
    }
}
