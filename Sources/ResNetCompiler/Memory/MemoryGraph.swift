// The value-level view of a network the memory planner works on: which values exist, how big
// they are, who reads them, which are views (flatten/dropout) and where a step may write in place.

/// Where a step may write its result over one of its operands (the kernel reads each element
/// before it writes the same position). Chosen by the lowering from what the runtime's kernels allow.
public enum InPlaceRule: Sendable, Equatable {
    /// Never: the kernel reads operands while it writes the output (convolutions, pools, linear).
    case never
    /// Over the first operand (scale/shift, activation).
    case firstOperand
    /// Over any operand (add).
    case anyOperand
    /// Over the last operand only, and only if no other operand shares its memory (a conv whose
    /// epilogue reads its residual element before writing that element).
    case lastOperandExclusive
}

/// A network as values for memory planning. Node ids are indices into `nodes`; every node's
/// inputs come earlier, so index order is a valid step order.
public struct MemoryGraph: Sendable {
    /// What produces a value.
    public enum Kind: Sendable, Equatable {
        /// A model input, written by the caller before the first step.
        case input
        /// A plan step writes it.
        case step(InPlaceRule)
        /// A view of its single input's memory (flatten, dropout): no step, no memory of its own.
        case alias
    }

    /// One value.
    public struct Node: Sendable, Equatable {
        /// A name for reports (`layer1.0.conv1`).
        public var name: String
        /// Size in floats.
        public var size: Int
        /// Values this node reads (ids smaller than its own).
        public var inputs: [Int]
        /// What produces the value.
        public var kind: Kind
        /// Floats of scratch memory the step's kernel needs while it runs (packing buffers,
        /// per-thread tiles), planned in the same arena and live only during the step. No
        /// runtime kernel needs any today, so the lowering passes 0; a kernel that does needs a
        /// scratch operand in the Plan's Step to receive `MemoryLayout.scratchOffsets`.
        public var scratch: Int
        /// Makes a node.
        public init(name: String, size: Int, inputs: [Int], kind: Kind, scratch: Int = 0) {
            self.name = name
            self.size = size
            self.inputs = inputs
            self.kind = kind
            self.scratch = scratch
        }
    }

    /// Every value, inputs before readers.
    public var nodes: [Node]
    /// Values that must survive the run (model outputs).
    public var outputs: [Int]

    /// Makes a graph; `nodes` must be in a topological order.
    public init(nodes: [Node], outputs: [Int]) {
        self.nodes = nodes
        self.outputs = outputs
    }

    /// The node whose memory `id` uses: itself, or for an alias the root of its input.
    public func root(_ id: Int) -> Int {
        var id = id
        while nodes[id].kind == .alias { id = nodes[id].inputs[0] }
        return id
    }

    /// Ids of the nodes that are steps, in index order (the original schedule).
    public var stepIDs: [Int] {
        nodes.indices.filter { if case .step = nodes[$0].kind { return true } else { return false } }
    }

    /// The memory roots each step reads (aliases resolved), in operand order.
    func operandRoots(_ id: Int) -> [Int] { nodes[id].inputs.map(root) }

    /// For each node, the steps that read its memory directly or through aliases.
    func readersOfRoots() -> [[Int]] {
        var readers = [[Int]](repeating: [], count: nodes.count)
        for id in stepIDs {
            for r in operandRoots(id) where !readers[r].contains(id) { readers[r].append(id) }
        }
        return readers
    }
}
