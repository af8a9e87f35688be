// Residual blocks and small whole networks, built by hand in the torchvision / CIFAR layouts,
// for the pipeline tests (until the DSL frontend can load Graphs/*.net).
import ResNetCompiler
import ResNetRuntime

extension PassTestGraphBuilder {
    /// torchvision BasicBlock: `relu(bn(conv(relu(bn(conv(x))))) + shortcut)`; the shortcut is
    /// `bn(conv1x1)` when the shape changes, else `x`.
    mutating func basicBlock(_ x: Int, out: Int, stride: Int = 1) throws -> Int {
        let main = try bn(conv(convBNReLU(x, out: out, s: stride), out: out))
        let shortcut = try needsProjection(x, out: out, stride: stride)
            ? bn(conv(x, out: out, k: 1, s: stride)) : x
        return try act(add(main, shortcut))
    }

    /// torchvision Bottleneck (expansion 4): 1x1 → 3x3 (stride) → 1x1, projected shortcut when needed.
    mutating func bottleneck(_ x: Int, width: Int, stride: Int = 1) throws -> Int {
        let out = width * 4
        let reduced = try convBNReLU(convBNReLU(x, out: width, k: 1), out: width, s: stride)
        let main = try bn(conv(reduced, out: out, k: 1))
        let shortcut = try needsProjection(x, out: out, stride: stride)
            ? bn(conv(x, out: out, k: 1, s: stride)) : x
        return try act(add(main, shortcut))
    }

    /// CIFAR BasicBlock with the option-A shortcut when the shape changes.
    mutating func optionABlock(_ x: Int, out: Int, stride: Int = 1) throws -> Int {
        let main = try bn(conv(convBNReLU(x, out: out, s: stride), out: out))
        let shortcut = try needsProjection(x, out: out, stride: stride) ? shortcutA(x, out: out, s: stride) : x
        return try act(add(main, shortcut))
    }

    /// Pre-activation block: `conv(relu(bn(conv(relu(bn(x)))))) + x`.
    mutating func preActivationBlock(_ x: Int) throws -> Int {
        let channels = graph.nodes[x].shape[1]
        let inner = try act(bn(conv(act(bn(x)), out: channels)))
        return try add(conv(inner, out: channels), x)
    }

    /// global pool → flatten → dropout → linear, the classifier head.
    mutating func head(_ x: Int, classes: Int) throws -> Int {
        try linear(op(.dropout(p: 0.5), op(.flatten, op(.globalAvgPool, x))), out: classes)
    }

    private func needsProjection(_ x: Int, out: Int, stride: Int) -> Bool {
        stride != 1 || graph.nodes[x].shape[1] != out
    }
}

/// Whole networks for the pipeline tests.
enum PassTestNetworks {
    /// ResNet-50's layout (stem, [3, 4, 6, 3] bottlenecks, head) with all widths divided by 16.
    static func resnet50Layout(input: [Int] = [1, 3, 32, 32]) throws -> Graph {
        var b = try PassTestGraphBuilder("resnet50_layout", input: input)
        var x = try b.maxPool(b.convBNReLU(b.input, out: 4, k: 7, s: 2))
        for (stage, (blocks, width)) in zip([3, 4, 6, 3], [4, 8, 16, 32]).enumerated() {
            for block in 0..<blocks {
                x = try b.bottleneck(x, width: width, stride: block == 0 && stage > 0 ? 2 : 1)
            }
        }
        b.output(try b.head(x, classes: 10))
        return b.graph
    }

    /// A small ResNet-18-style net: stem, an identity block, a projected block, an option-A block.
    static func smallResNet() throws -> Graph {
        var b = try PassTestGraphBuilder("small_resnet", input: [2, 3, 16, 16])
        var x = try b.maxPool(b.convBNReLU(b.input, out: 8))
        x = try b.basicBlock(x, out: 8)
        x = try b.basicBlock(x, out: 16, stride: 2)
        x = try b.optionABlock(x, out: 24, stride: 2)
        b.output(try b.op(.softmax, b.head(x, classes: 5)))
        return b.graph
    }

    /// CIFAR ResNet-20 (3 stages of 3 option-A blocks, widths 16/32/64) on 16x16 inputs.
    static func cifarResNet20() throws -> Graph {
        var b = try PassTestGraphBuilder("cifar_resnet20", input: [2, 3, 16, 16])
        var x = try b.convBNReLU(b.input, out: 16)
        for (stage, width) in [16, 32, 64].enumerated() {
            for block in 0..<3 { x = try b.optionABlock(x, out: width, stride: block == 0 && stage > 0 ? 2 : 1) }
        }
        b.output(try b.head(x, classes: 10))
        return b.graph
    }
}
