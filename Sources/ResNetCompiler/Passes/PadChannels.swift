// pad-channels: feature maps whose channel count is not a multiple of 16 grow to the next
// multiple, so the lowering can store them nChw16c and run the blocked kernels on them. The
// producer computes the extra channels with zero weights and a zero bias, and every conv or
// linear layer that reads them gives them zero weights, so no result changes.

import ResNetRuntime

/// Pads the channels of every value in a padding class (see `PadChannels`) to a multiple of 16.
public let padChannelsPass = Pass(
    name: "pad-channels",
    summary: "pad conv channel counts to a multiple of 16 with zero weights, so every map can be blocked"
) { graph in PadChannels.run(graph) }

/// The rewrite behind `padChannelsPass`.
///
/// Values that must share a channel count form a class: a conv's output with its fused
/// residual, and every activation, dropout, batch norm, scale-shift, pool, global pool and add
/// with its operands. A class is padded when all of these hold:
/// - its channel count is not a multiple of 16;
/// - every value in it comes from one of those ops or from a conv with one group (not from a
///   model input, a grouped conv or an option-A shortcut);
/// - none of its values is a model output (outputs keep their shapes);
/// - every reader is one of those ops, a conv with one group, or a `flatten` read only by
///   linear layers (which get zero weight columns for the extra features).
///
/// The extra channels need not be zero (sigmoid(0) is ½), but they are always finite, and
/// every layer that reads them multiplies them by zero.
enum PadChannels {
    /// The channel block of the blocked layout.
    static let block = 16

    static func run(_ graph: Graph) -> PassResult {
        let padded = paddedChannels(graph)
        guard !padded.isEmpty else { return PassResult(graph: graph, rewrites: 0) }
        var result = graph
        for node in graph.nodes {
            let paddedInput = node.inputs.first.flatMap { padded[$0] }
            var rewritten = node
            switch node.op {
            case .conv(var a):
                let out = padded[node.id] ?? a.outChannels
                if let weight = node.params["weight"] {
                    rewritten.params["weight"] = padConvWeight(weight, out: out, in: paddedInput ?? weight.shape[1])
                }
                if let bias = node.params["bias"] { rewritten.params["bias"] = padVector(bias, to: out, with: 0) }
                a.outChannels = out
                rewritten.op = .conv(a)
            case .batchNorm:
                // The extra channels normalize to 0: weight 0, bias 0 (mean 0, variance 1).
                guard let c = padded[node.id] else { break }
                for (name, fill) in [("weight", Float(0)), ("bias", 0), ("running_mean", 0), ("running_var", 1)] {
                    if let p = node.params[name] { rewritten.params[name] = padVector(p, to: c, with: fill) }
                }
            case .scaleShift:
                guard let c = padded[node.id] else { break }
                for name in ["scale", "shift"] {
                    if let p = node.params[name] { rewritten.params[name] = padVector(p, to: c, with: 0) }
                }
            case .linear:
                // Reads `flatten(x)` of a padded x: the columns of each extra channel are zero.
                guard let flatten = node.inputs.first, case .flatten = graph.nodes[flatten].op,
                      let source = graph.nodes[flatten].inputs.first, let channels = padded[source],
                      let weight = node.params["weight"] else { break }
                let shape = graph.nodes[source].shape
                rewritten.params["weight"] = padLinearColumns(weight, channels: shape[1], to: channels,
                                                              pixels: shape.dropFirst(2).reduce(1, *))
            default:
                break
            }
            result.nodes[node.id] = rewritten
        }
        // Shapes follow from the new attributes and parameters, in topological order.
        for index in result.nodes.indices where result.nodes[index].op != .input {
            let operands = result.nodes[index].inputs.map { result.nodes[$0].shape }
            if let shape = try? result.nodes[index].op.outputShape(inputs: operands) {
                result.nodes[index].shape = shape
            }
        }
        return PassResult(graph: result, rewrites: padded.count)
    }

    /// The padded channel count of every value the pass pads, by node id.
    static func paddedChannels(_ graph: Graph) -> [Int: Int] {
        var parent = Array(graph.nodes.indices)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        func union(_ a: Int, _ b: Int) { parent[find(a)] = find(b) }
        // Which values may take part, and the classes they form.
        var member = [Bool](repeating: false, count: graph.nodes.count)
        for node in graph.nodes where node.shape.count == 4 {
            switch node.op {
            case .conv(let a) where a.groups == 1:
                member[node.id] = true
                if a.epilogue.residual != nil, node.inputs.count > 1 { union(node.id, node.inputs[1]) }
            case .activation, .dropout, .batchNorm, .scaleShift, .maxPool, .avgPool, .globalAvgPool:
                member[node.id] = true
                union(node.id, node.inputs[0])
            case .add:
                member[node.id] = true
                union(node.id, node.inputs[0])
                union(node.id, node.inputs[1])
            default:
                break
            }
        }
        var excluded = Set<Int>()
        for node in graph.nodes where !member[node.id] { excluded.insert(find(node.id)) }
        for output in graph.outputs { excluded.insert(find(output.node)) }
        let users = graph.users()
        let outputs = Set(graph.outputs.map(\.node))
        for node in graph.nodes {
            for input in node.inputs where member[input] && !readsPadding(node, graph: graph, users: users, outputs: outputs) {
                excluded.insert(find(input))
            }
        }
        var padded: [Int: Int] = [:]
        for node in graph.nodes where member[node.id] && !excluded.contains(find(node.id)) {
            let channels = node.shape[1], grown = (channels + block - 1) / block * block
            if channels % block != 0, grown * 4 <= channels * 5 { padded[node.id] = grown }
        }
        return padded
    }

    /// Whether `node` may read a padded value: a member op, a conv with one group, or a flatten
    /// that only linear layers read.
    private static func readsPadding(_ node: Node, graph: Graph, users: [[Int]], outputs: Set<Int>) -> Bool {
        switch node.op {
        case .conv(let a): return a.groups == 1
        case .activation, .dropout, .batchNorm, .scaleShift, .maxPool, .avgPool, .globalAvgPool, .add: return true
        case .flatten:
            return !outputs.contains(node.id) && users[node.id].allSatisfy {
                if case .linear = graph.nodes[$0].op { return true } else { return false }
            }
        default: return false
        }
    }

    /// `[O, I, KH, KW]` weights grown to `[out, in, KH, KW]`, the new rows and columns zero.
    static func padConvWeight(_ w: Tensor, out: Int, in inChannels: Int) -> Tensor {
        let (o, i, taps) = (w.shape[0], w.shape[1], w.shape[2] * w.shape[3])
        guard out != o || inChannels != i else { return w }
        var data = [Float](repeating: 0, count: out * inChannels * taps)
        for row in 0..<o {
            for column in 0..<i {
                let from = (row * i + column) * taps, to = (row * inChannels + column) * taps
                for tap in 0..<taps { data[to + tap] = w.data[from + tap] }
            }
        }
        return Tensor(shape: [out, inChannels, w.shape[2], w.shape[3]], data: data)
    }

    /// A per-channel vector grown to `count` entries of `fill`.
    static func padVector(_ v: Tensor, to count: Int, with fill: Float) -> Tensor {
        guard v.count < count else { return v }
        return Tensor(shape: [count], data: v.data + [Float](repeating: fill, count: count - v.count))
    }

    /// `[O, C·P]` linear weights over a flattened `[C, P]` map grown to `[O, padded·P]`.
    static func padLinearColumns(_ w: Tensor, channels: Int, to padded: Int, pixels: Int) -> Tensor {
        let rows = w.shape[0], old = channels * pixels, new = padded * pixels
        var data = [Float](repeating: 0, count: rows * new)
        for row in 0..<rows {
            for column in 0..<old { data[row * new + column] = w.data[row * old + column] }
        }
        return Tensor(shape: [rows, new], data: data)
    }
}
