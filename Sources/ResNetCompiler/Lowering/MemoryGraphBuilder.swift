// Graph → MemoryGraph for the planner: one value per node, a `copy_<output>` step for each model
// output whose memory is an input's or another output's, and the in-place rule of each step's kernel.

/// The planner's view of a graph, plus what the lowering needs to emit the copy steps.
struct LoweringMemoryGraph {
    var graph: MemoryGraph
    /// Output index → id (≥ graph node count) of the copy node that holds it, if any.
    var copies: [Int: Int]
}

enum MemoryGraphBuilder {
    /// Builds the memory graph of `graph`. In-place rules follow the runtime's kernels: the
    /// elementwise kernels read element i before writing element i (softmax reads its whole row
    /// first), so scale/shift, activation, add and softmax may overwrite an operand; a conv may
    /// overwrite its identity residual only when `allowConvResidualInPlace` says its kernel
    /// reads the residual before writing.
    static func build(_ graph: Graph, allowConvResidualInPlace: Bool) -> LoweringMemoryGraph {
        var nodes = graph.nodes.map { node in
            MemoryGraph.Node(name: StepEmitter.stepName(node), size: node.shape.reduce(1, *), inputs: node.inputs,
                             kind: kind(of: node.op, allowConvResidualInPlace: allowConvResidualInPlace))
        }
        var memory = MemoryGraph(nodes: nodes, outputs: [])
        let inputRoots = Set(graph.inputIDs)
        var claimed: Set<Int> = []
        var outputs: [Int] = []
        var copies: [Int: Int] = [:]
        for (index, output) in graph.outputs.enumerated() {
            var id = output.node
            let root = memory.root(id)
            if inputRoots.contains(root) || claimed.contains(root) {
                id = nodes.count
                copies[index] = id
                nodes.append(MemoryGraph.Node(name: "copy_\(output.name)", size: nodes[output.node].size,
                                              inputs: [output.node], kind: .step(.never)))
                memory.nodes = nodes
            }
            claimed.insert(memory.root(id))
            outputs.append(id)
        }
        memory.outputs = outputs
        return LoweringMemoryGraph(graph: memory, copies: copies)
    }

    /// What produces a node's value, and where its kernel may write in place.
    static func kind(of op: Op, allowConvResidualInPlace: Bool) -> MemoryGraph.Kind {
        switch op {
        case .input: return .input
        case .flatten, .dropout: return .alias
        case .batchNorm, .scaleShift, .activation, .softmax: return .step(.firstOperand)
        case .add: return .step(.anyOperand)
        case .conv(let a):
            let fusedIdentity = a.epilogue.residual == .identity
            return .step(fusedIdentity && allowConvResidualInPlace ? .lastOperandExclusive : .never)
        case .maxPool, .avgPool, .globalAvgPool, .linear, .shortcutA:
            return .step(.never)
        }
    }

    /// The reference layout: graph order, each value in its own aligned buffer after the last.
    static func oneBufferPerValue(_ graph: MemoryGraph) -> (order: [Int], offsets: [Int], arenaFloats: Int) {
        var offsets = [Int](repeating: 0, count: graph.nodes.count)
        var next = 0
        for (id, node) in graph.nodes.enumerated() {
            if node.kind == .alias {
                offsets[id] = offsets[node.inputs[0]]
            } else {
                offsets[id] = next
                next += BufferAssignment.aligned(node.size)
            }
        }
        return (graph.stepIDs, offsets, next)
    }
}
