// Small networks the library tests compile from source text, in memory, with one call.
import ResNetCompiler
import ResNetRuntime

enum LibraryNets {
    /// A residual net small enough to run hundreds of times in a test: a stem with max pooling,
    /// an identity block, a strided block with a projection shortcut, global pooling and a
    /// linear layer — every step kind a torchvision ResNet uses, about 0.5 MFLOPs.
    static let tinyResNet = """
        network tiny_resnet
        input image: 1x3x16x16
        defaults conv(bias: false)
        block basic(x, planes, stride = 1) {
          y = conv1: conv(x, planes, kernel: 3, stride: stride, pad: 1) -> bn1: batchnorm -> relu
          y = conv2: conv(y, planes, kernel: 3, pad: 1) -> bn2: batchnorm
          shortcut = x
          if stride != 1 or channels(x) != planes {
            shortcut = downsample.0: conv(x, planes, kernel: 1, stride: stride) -> downsample.1: batchnorm }
          return relu(y + shortcut)
        }
        x = conv1: conv(image, 8, kernel: 3, pad: 1) -> bn1: batchnorm -> relu -> maxpool(kernel: 3, stride: 2, pad: 1)
        x = layer1: basic(x, 8)
        x = layer2: basic(x, 16, stride: 2)
        output logits = fc: linear(flatten(global_avgpool(x)), 10)
        """

    /// `tinyResNet` compiled with seeded weights, as a runnable in-memory model.
    static func tinyModel() throws -> Model {
        try Compiler.compile(source: tinyResNet, fileName: "tiny_resnet.net").makeModel()
    }
}

/// The bit patterns of a run's outputs, for exact comparisons (NaN-safe, −0 ≠ +0).
func bits(_ outputs: [Tensor]) -> [[UInt32]] { outputs.map { $0.data.map(\.bitPattern) } }
