// Small hand-built residual networks (basic, bottleneck, option-A, branchy, a pointwise chain)
// with seeded weights, shared by the memory planner tests.
import Foundation
import ResNetCompiler
import ResNetRuntime

/// Builders for residual graphs; every layer is named so plan steps can be found by name.
struct ResidualGraphs {
    var graph: Graph

    init(_ name: String, input: [Int]) throws {
        graph = Graph(name: name)
        try graph.add(.input, inputs: [], name: "x", inputShape: input)
    }

    var last: Int { graph.nodes.count - 1 }

    @discardableResult
    mutating func conv(_ x: Int, _ name: String, out: Int, kernel: Int, stride: Int = 1) throws -> Int {
        let c = try graph.add(.conv(ConvAttributes(outChannels: out, kernel: kernel, stride: stride,
                                                   padding: kernel / 2, hasBias: false)), inputs: [x], name: name)
        return try graph.add(.batchNorm(eps: 1e-5), inputs: [c], name: name.replacingConv("bn"))
    }

    mutating func relu(_ x: Int) throws -> Int { try graph.add(.activation(.relu), inputs: [x]) }

    /// torchvision BasicBlock; a 1×1 projection when the shape changes.
    mutating func basic(_ x: Int, _ name: String, out: Int, stride: Int = 1) throws -> Int {
        let a = try relu(try conv(x, "\(name).conv1", out: out, kernel: 3, stride: stride))
        let b = try conv(a, "\(name).conv2", out: out, kernel: 3)
        let channels = graph.nodes[x].shape[1]
        let shortcut = stride == 1 && channels == out ? x : try conv(x, "\(name).downsample.0", out: out, kernel: 1, stride: stride)
        return try relu(try graph.add(.add, inputs: [b, shortcut]))
    }

    /// torchvision Bottleneck (v1.5: stride on the 3×3), projection on the first block.
    mutating func bottleneck(_ x: Int, _ name: String, width: Int, stride: Int = 1) throws -> Int {
        let a = try relu(try conv(x, "\(name).conv1", out: width, kernel: 1))
        let b = try relu(try conv(a, "\(name).conv2", out: width, kernel: 3, stride: stride))
        let c = try conv(b, "\(name).conv3", out: width * 4, kernel: 1)
        let channels = graph.nodes[x].shape[1]
        let shortcut = stride == 1 && channels == width * 4 ? x
            : try conv(x, "\(name).downsample.0", out: width * 4, kernel: 1, stride: stride)
        return try relu(try graph.add(.add, inputs: [c, shortcut]))
    }

    /// CIFAR BasicBlock with the option-A (subsample + zero channels) shortcut.
    mutating func optionA(_ x: Int, _ name: String, out: Int, stride: Int) throws -> Int {
        let a = try relu(try conv(x, "\(name).conv1", out: out, kernel: 3, stride: stride))
        let b = try conv(a, "\(name).conv2", out: out, kernel: 3)
        let s = try graph.add(.shortcutA(outChannels: out, stride: stride), inputs: [x])
        return try relu(try graph.add(.add, inputs: [b, s]))
    }

    /// Global pool, flatten, linear.
    mutating func head(_ x: Int, classes: Int) throws -> Int {
        let p = try graph.add(.globalAvgPool, inputs: [x])
        let f = try graph.add(.flatten, inputs: [p])
        return try graph.add(.linear(LinearAttributes(outFeatures: classes, hasBias: true)), inputs: [f], name: "fc")
    }

    /// The graph with seeded weights and the given outputs.
    func finished(_ outputs: [(String, Int)]) -> Graph {
        var g = graph
        g.outputs = outputs.map { GraphOutput(name: $0.0, node: $0.1) }
        return WeightInitializer.initialize(g, seed: 7)
    }

    // MARK: the networks

    /// Stem, identity and projection BasicBlocks, head.
    static func basicNet() throws -> Graph {
        var b = try ResidualGraphs("basic", input: [1, 3, 16, 16])
        let stem = try b.relu(try b.conv(0, "conv1", out: 8, kernel: 3))
        let pool = try b.graph.add(.maxPool(PoolParams(kernel: 3, stride: 2, padding: 1)), inputs: [stem])
        let l1 = try b.basic(pool, "layer1.0", out: 8)
        let l2 = try b.basic(l1, "layer2.0", out: 16, stride: 2)
        let logits = try b.head(l2, classes: 10)
        return b.finished([("logits", logits)])
    }

    /// Two Bottleneck stages with projections, an identity block between.
    static func bottleneckNet() throws -> Graph {
        var b = try ResidualGraphs("bottleneck", input: [1, 3, 16, 16])
        let stem = try b.relu(try b.conv(0, "conv1", out: 16, kernel: 3))
        var x = try b.bottleneck(stem, "layer1.0", width: 8)
        x = try b.bottleneck(x, "layer1.1", width: 8)
        x = try b.bottleneck(x, "layer2.0", width: 16, stride: 2)
        let logits = try b.head(x, classes: 5)
        return b.finished([("logits", logits)])
    }

    /// CIFAR-style: identity block, then option-A blocks that double channels.
    static func optionANet() throws -> Graph {
        var b = try ResidualGraphs("option_a", input: [2, 3, 8, 8])
        let stem = try b.relu(try b.conv(0, "conv1", out: 4, kernel: 3))
        var x = try b.basic(stem, "layer1.0", out: 4)
        x = try b.optionA(x, "layer2.0", out: 8, stride: 2)
        x = try b.optionA(x, "layer3.0", out: 16, stride: 2)
        let logits = try b.head(x, classes: 3)
        return b.finished([("logits", logits)])
    }

    /// Three branches of different widths joined by adds, dropout, softmax, and awkward outputs:
    /// the input itself, an intermediate value also read later, and the same value twice.
    static func branchyNet() throws -> Graph {
        var b = try ResidualGraphs("branchy", input: [1, 4, 6, 6])
        let wide = try b.relu(try b.conv(0, "wide.conv", out: 12, kernel: 3))
        let narrow = try b.conv(try b.relu(try b.conv(0, "narrow.conv1", out: 4, kernel: 1)), "narrow.conv2", out: 12, kernel: 3)
        let mid = try b.conv(0, "mid.conv", out: 12, kernel: 1)
        let sum1 = try b.graph.add(.add, inputs: [wide, narrow])
        let sum2 = try b.relu(try b.graph.add(.add, inputs: [sum1, mid]))
        let dropped = try b.graph.add(.dropout(p: 0.5), inputs: [sum2])
        let twice = try b.graph.add(.add, inputs: [dropped, dropped])
        let logits = try b.head(twice, classes: 6)
        let probs = try b.graph.add(.softmax, inputs: [logits])
        return b.finished([("probs", probs), ("x_copy", 0), ("mid", mid), ("mid_again", mid), ("sum2", dropped)])
    }

    /// A wide stem whose output dies at a 1×1 reduction ("reduce", 48 → 20 channels over 13×13
    /// pixels: several channel blocks and a partial last pixel tile), then a 3×3 and a 1×1
    /// expansion, so the planner can write "reduce" over the start of the stem's output.
    static func pointwiseChain() throws -> Graph {
        var b = try ResidualGraphs("pointwise_chain", input: [1, 3, 13, 13])
        let stem = try b.relu(try b.conv(0, "conv1", out: 48, kernel: 3))
        let reduce = try b.relu(try b.conv(stem, "reduce", out: 20, kernel: 1))
        let mid = try b.relu(try b.conv(reduce, "mid.conv", out: 20, kernel: 3))
        let expand = try b.relu(try b.conv(mid, "expand", out: 40, kernel: 1))
        let logits = try b.head(expand, classes: 4)
        return b.finished([("logits", logits)])
    }

    static var all: [Graph] {
        get throws { [try basicNet(), try bottleneckNet(), try optionANet(), try branchyNet(), try pointwiseChain()] }
    }
}

extension String {
    /// `layer1.0.conv2` → `layer1.0.bn2`, `downsample.0` → `downsample.1`, as torchvision names them.
    func replacingConv(_ bn: String) -> String {
        if hasSuffix("downsample.0") { return String(dropLast()) + "1" }
        guard let range = range(of: "conv", options: .backwards) else { return self + ".bn" }
        return replacingCharacters(in: range, with: bn)
    }
}
