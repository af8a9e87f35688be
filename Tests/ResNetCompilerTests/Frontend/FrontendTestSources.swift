// Small `.net` networks written inline for the frontend tests (torchvision ResNet-18/50).

enum FrontendTestSources {
    /// torchvision ResNet-18, exactly as the DSL spec's example.
    static let resnet18 = """
    # resnet18.net: torchvision's ResNet-18
    network resnet18
    param base = 64
    param classes = 1000
    param size = 224
    input image: [1, 3, size, size]
    defaults conv(bias: false)
    defaults batchnorm(eps: 1e-5)

    block basic(x, planes, stride = 1) {
      y = conv1: conv(x, planes, kernel: 3, stride: stride, pad: 1) -> bn1: batchnorm -> relu
      y = conv2: conv(y, planes, kernel: 3, pad: 1) -> bn2: batchnorm
      shortcut = x
      if stride != 1 or channels(x) != planes {
        shortcut = downsample.0: conv(x, planes, kernel: 1, stride: stride) -> downsample.1: batchnorm
      }
      return relu(y + shortcut)
    }

    x = conv1: conv(image, base, kernel: 7, stride: 2, pad: 3) -> bn1: batchnorm -> relu
    x = maxpool(x, kernel: 3, stride: 2, pad: 1)
    x = layer1: repeat 2 { basic(x, base) }
    x = layer2: repeat 2 as i { basic(x, base * 2, stride: i == 0 ? 2 : 1) }
    x = layer3: repeat 2 as i { basic(x, base * 4, stride: i == 0 ? 2 : 1) }
    x = layer4: repeat 2 as i { basic(x, base * 8, stride: i == 0 ? 2 : 1) }
    output logits = fc: linear(flatten(global_avgpool(x)), classes)
    """

    /// torchvision ResNet-50 (v1.5: the stride sits on the 3×3 conv2).
    static let resnet50 = """
    # resnet50.net: torchvision's ResNet-50 (v1.5)
    param base = 64
    param classes = 1000
    param size = 224
    input image: [1, 3, size, size]
    defaults conv(bias: false)

    block bottleneck(x, planes, stride = 1) {
      y = conv1: conv(x, planes, kernel: 1) -> bn1: batchnorm -> relu
      y = conv2: conv(y, planes, kernel: 3, stride: stride, pad: 1) -> bn2: batchnorm -> relu
      y = conv3: conv(y, planes * 4, kernel: 1) -> bn3: batchnorm
      shortcut = x
      if stride != 1 or channels(x) != planes * 4 {
        shortcut = downsample.0: conv(x, planes * 4, kernel: 1, stride: stride) ->
          downsample.1: batchnorm
      }
      return relu(y + shortcut)
    }

    x = conv1: conv(image, base, kernel: 7, stride: 2, pad: 3) -> bn1: batchnorm -> relu
    x = maxpool(x, kernel: 3, stride: 2, pad: 1)
    x = layer1: repeat 3 { bottleneck(x, base) }
    x = layer2: repeat 4 as i { bottleneck(x, base * 2, stride: i == 0 ? 2 : 1) }
    x = layer3: repeat 6 as i { bottleneck(x, base * 4, stride: i == 0 ? 2 : 1) }
    x = layer4: repeat 3 as i { bottleneck(x, base * 8, stride: i == 0 ? 2 : 1) }
    x = global_avgpool(x) -> flatten
    output logits = fc: linear(x, classes)
    """

    /// The paper's CIFAR-10 ResNet-20 (§4.2) with option-A (parameter-free) shortcuts.
    static let cifarResNet20 = """
    # cifar_resnet20.net: He et al. 2015, §4.2, n = 3
    param n = 3
    param classes = 10
    input image: 1x3x32x32
    defaults conv(bias: false)

    block basic(x, planes, stride = 1) {
      y = conv1: conv(x, planes, 3, stride, 1) -> bn1: batchnorm -> relu
      y = conv2: conv(y, planes, 3, pad: 1) -> bn2: batchnorm
      shortcut = stride != 1 or channels(x) != planes ? shortcut_a(x, planes, stride: stride) : x
      return relu(y + shortcut)
    }

    x = conv1: conv(image, 16, kernel: 3, pad: 1) -> bn1: batchnorm -> relu
    x = layer1: repeat n { basic(x, 16) }
    x = layer2: repeat n as i { basic(x, 32, i == 0 ? 2 : 1) }
    x = layer3: repeat n as i { basic(x, 64, i == 0 ? 2 : 1) }
    output logits = fc: linear(x -> global_avgpool -> flatten, classes)
    """
}
