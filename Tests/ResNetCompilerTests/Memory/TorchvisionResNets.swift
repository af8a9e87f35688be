// torchvision ResNet-18/50/152 (v1.5) as the standard passes leave them — BN folded, ReLU and
// residual adds fused into convs — built directly, without parameters, for memory figures.
import ResNetCompiler
import ResNetRuntime

enum TorchvisionResNets {
    /// The fused graph of `resnet<depth>` at `batch` × 3 × 224 × 224; `projectionFirst` writes each
    /// projection shortcut before its block's main path (a worse order the planner must undo).
    static func fused(depth: Int, batch: Int = 1, projectionFirst: Bool = false) throws -> Graph {
        let (bottleneck, blocks): (Bool, [Int]) = switch depth {
        case 18: (false, [2, 2, 2, 2])
        case 34: (false, [3, 4, 6, 3])
        case 50: (true, [3, 4, 6, 3])
        case 101: (true, [3, 4, 23, 3])
        default: (true, [3, 8, 36, 3])
        }
        var g = Graph(name: "resnet\(depth)")
        func conv(_ x: Int, _ name: String, _ out: Int, _ k: Int, stride: Int = 1, relu: Bool = true,
                  residual: Int? = nil) throws -> Int {
            let epilogue = Epilogue(residual: residual == nil ? nil : .identity, activation: relu ? .relu : .identity)
            let a = ConvAttributes(outChannels: out, kernel: k, stride: stride, padding: k / 2, hasBias: true, epilogue: epilogue)
            return try g.add(.conv(a), inputs: [x] + (residual.map { [$0] } ?? []), name: name)
        }
        var x = try g.add(.input, inputs: [], name: "x", inputShape: [batch, 3, 224, 224])
        x = try conv(x, "conv1", 64, 7, stride: 2)
        x = try g.add(.maxPool(PoolParams(kernel: 3, stride: 2, padding: 1)), inputs: [x], name: "maxpool")
        var channels = 64
        for (stage, count) in blocks.enumerated() {
            let width = 64 << stage
            for block in 0..<count {
                let name = "layer\(stage + 1).\(block)"
                let stride = stage > 0 && block == 0 ? 2 : 1
                let out = bottleneck ? width * 4 : width
                let needsProjection = stride != 1 || channels != out
                var projection: Int?
                if needsProjection && projectionFirst {
                    projection = try conv(x, "\(name).downsample.0", out, 1, stride: stride, relu: false)
                }
                var y: Int
                if bottleneck {
                    y = try conv(x, "\(name).conv1", width, 1)
                    y = try conv(y, "\(name).conv2", width, 3, stride: stride)
                } else {
                    y = try conv(x, "\(name).conv1", width, 3, stride: stride)
                }
                if needsProjection && projection == nil {
                    projection = try conv(x, "\(name).downsample.0", out, 1, stride: stride, relu: false)
                }
                let shortcut = projection ?? x
                x = try conv(y, bottleneck ? "\(name).conv3" : "\(name).conv2", out, bottleneck ? 1 : 3, residual: shortcut)
                channels = out
            }
        }
        x = try g.add(.globalAvgPool, inputs: [x], name: "avgpool")
        x = try g.add(.flatten, inputs: [x])
        x = try g.add(.linear(LinearAttributes(outFeatures: 1000, hasBias: true)), inputs: [x], name: "fc")
        g.outputs = [GraphOutput(name: "logits", node: x)]
        return g
    }
}
