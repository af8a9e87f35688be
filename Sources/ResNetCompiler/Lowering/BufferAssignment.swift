// The reference arena placement: one 16-float-aligned buffer per graph value, no sharing. The
// lowering uses the memory planner by default; this layout is what planned runs are checked against.

/// Where each node's value lives in the activation arena.
public struct BufferAssignment: Sendable {
    /// Arena offset (in floats) of each node's value, indexed by node id.
    public var offsets: [Int]
    /// Arena size in floats.
    public var arenaFloats: Int

    /// Rounds a float count up to a multiple of 16 (64 bytes).
    public static func aligned(_ floats: Int) -> Int { (floats + 15) / 16 * 16 }

    /// One buffer per value; `flatten` and `dropout` alias their input's buffer.
    public static func oneBufferPerValue(_ graph: Graph) -> BufferAssignment {
        var offsets = [Int](repeating: 0, count: graph.nodes.count)
        var next = 0
        for node in graph.nodes {
            switch node.op {
            case .flatten, .dropout:
                offsets[node.id] = offsets[node.inputs[0]]
            default:
                offsets[node.id] = next
                next += aligned(node.shape.reduce(1, *))
            }
        }
        return BufferAssignment(offsets: offsets, arenaFloats: next)
    }
}
