// Parameter and FLOP counts of a graph, computed from shapes alone (no weights needed).

extension Graph {
    /// Trainable parameters as PyTorch counts them (`sum(p.numel() for p in model.parameters())`):
    /// conv/linear weights and biases, batch-norm weight and bias; running statistics excluded.
    public var parameterCount: Int {
        nodes.reduce(0) { total, node in
            let shapes = node.op.parameterShapes(inputs: node.inputs.map { nodes[$0].shape })
            return total + shapes.filter { !$0.name.hasPrefix("running_") }
                .reduce(0) { $0 + $1.shape.reduce(1, *) }
        }
    }

    /// FLOPs of one forward pass for the whole batch: 2 × multiply-adds of convs and linears.
    public var flops: Int {
        nodes.reduce(0) { total, node in
            switch node.op {
            case .conv(let a):
                let inC = nodes[node.inputs[0]].shape[1]
                let macsPerOutput = (inC / a.groups) * a.kernel * a.kernel
                return total + 2 * macsPerOutput * node.shape.reduce(1, *)
            case .linear:
                let inF = nodes[node.inputs[0]].shape[1]
                return total + 2 * inF * node.shape.reduce(1, *)
            default:
                return total
            }
        }
    }

    /// Bytes of every activation (every non-parameter value) if none shared memory.
    public var naiveActivationBytes: Int {
        nodes.reduce(0) { $0 + 4 * $1.shape.reduce(1, *) }
    }
}
