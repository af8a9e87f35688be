// A terse builder for the hand-made graphs of the pass tests: one call per layer, unique
// layer names generated so seeded weights differ from layer to layer.
import ResNetCompiler
import ResNetRuntime

/// Builds a `Graph` with `Graph.add`, naming every layer (`conv1`, `bn2`, ...) so that
/// `WeightInitializer` draws different weights for each.
struct PassTestGraphBuilder {
    var graph: Graph
    private var counters: [String: Int] = [:]

    /// A graph named `name` with one input of `inputShape`; the input's id is 0.
    init(_ name: String, input inputShape: [Int]) throws {
        graph = Graph(name: name)
        try graph.add(.input, inputs: [], name: "x", inputShape: inputShape)
    }

    /// The id of the graph's first input.
    var input: Int { 0 }

    /// Adds a second (or later) model input.
    mutating func extraInput(_ shape: [Int]) throws -> Int {
        try graph.add(.input, inputs: [], name: nextName("x"), inputShape: shape)
    }

    mutating func conv(_ x: Int, out: Int, k: Int = 3, s: Int = 1, p: Int? = nil, d: Int = 1, g: Int = 1,
                       bias: Bool = false, epilogue: Epilogue = Epilogue()) throws -> Int {
        let attributes = ConvAttributes(outChannels: out, kernel: k, stride: s, padding: p ?? (k / 2) * d,
                                        dilation: d, groups: g, hasBias: bias, epilogue: epilogue)
        return try graph.add(.conv(attributes), inputs: [x], name: nextName("conv"))
    }

    mutating func bn(_ x: Int, eps: Double = 1e-5) throws -> Int {
        try graph.add(.batchNorm(eps: eps), inputs: [x], name: nextName("bn"))
    }

    mutating func act(_ x: Int, _ activation: Activation = .relu) throws -> Int {
        try graph.add(.activation(activation), inputs: [x])
    }

    mutating func add(_ a: Int, _ b: Int) throws -> Int {
        try graph.add(.add, inputs: [a, b])
    }

    mutating func linear(_ x: Int, out: Int, bias: Bool = true) throws -> Int {
        try graph.add(.linear(LinearAttributes(outFeatures: out, hasBias: bias)), inputs: [x], name: nextName("fc"))
    }

    mutating func maxPool(_ x: Int, k: Int = 3, s: Int = 2, p: Int = 1) throws -> Int {
        try graph.add(.maxPool(PoolParams(kernel: k, stride: s, padding: p)), inputs: [x])
    }

    mutating func shortcutA(_ x: Int, out: Int, s: Int) throws -> Int {
        try graph.add(.shortcutA(outChannels: out, stride: s), inputs: [x])
    }

    /// Adds any parameterless op.
    mutating func op(_ op: Op, _ x: Int) throws -> Int {
        try graph.add(op, inputs: [x])
    }

    /// `relu(bn(conv(x)))`, the unit every ResNet is made of.
    mutating func convBNReLU(_ x: Int, out: Int, k: Int = 3, s: Int = 1) throws -> Int {
        try act(bn(conv(x, out: out, k: k, s: s)))
    }

    /// Declares `id` as an output (named `y`, `y1`, ... unless given).
    mutating func output(_ id: Int, name: String? = nil) {
        graph.outputs.append(GraphOutput(name: name ?? (graph.outputs.isEmpty ? "y" : "y\(graph.outputs.count)"),
                                         node: id))
    }

    private mutating func nextName(_ kind: String) -> String {
        counters[kind, default: 0] += 1
        return "\(kind)\(counters[kind]!)"
    }
}
