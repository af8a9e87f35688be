// The IR's operations and their attributes. Shapes are NCHW (images) or NC (features).
import ResNetRuntime

/// Convolution attributes plus the epilogue that fusion passes attach.
public struct ConvAttributes: Hashable, Sendable {
    public var outChannels: Int
    public var kernel: Int
    public var stride: Int
    public var padding: Int
    public var dilation: Int
    public var groups: Int
    public var hasBias: Bool
    /// Set by fusion: `activation(conv + bias + residual)`; the residual is the node's 2nd input.
    public var epilogue: Epilogue

    public init(outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
                groups: Int = 1, hasBias: Bool, epilogue: Epilogue = Epilogue()) {
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        self.hasBias = hasBias
        self.epilogue = epilogue
    }
}

/// Fully connected layer attributes (input `[N, I]`).
public struct LinearAttributes: Hashable, Sendable {
    public var outFeatures: Int
    public var hasBias: Bool
    /// Set by fusion (residuals are not fused into linear layers).
    public var activation: Activation
    public init(outFeatures: Int, hasBias: Bool, activation: Activation = .identity) {
        self.outFeatures = outFeatures
        self.hasBias = hasBias
        self.activation = activation
    }
}


/// One IR operation. Parameter tensors live on the node (`Node.params`), keyed by
/// torchvision's suffixes: `weight`, `bias`, `running_mean`, `running_var`.
public enum Op: Hashable, Sendable {
    /// A model input; its shape is the node's shape.
    case input
    /// Params: `weight [O, I/g, K, K]`, `bias [O]` if `hasBias`.
    case conv(ConvAttributes)
    /// Params: `weight`, `bias`, `running_mean`, `running_var`, each `[C]`.
    case batchNorm(eps: Double)
    /// Per-channel `x * scale + shift`; params `scale`, `shift` `[C]` (a BN with no conv before it).
    case scaleShift
    case activation(Activation)
    case maxPool(PoolParams)
    case avgPool(PoolParams)
    /// `[N, C, H, W]` → `[N, C, 1, 1]`.
    case globalAvgPool
    /// `[N, ...]` → `[N, product]`.
    case flatten
    /// Params: `weight [O, I]`, `bias [O]` if `hasBias`.
    case linear(LinearAttributes)
    /// Elementwise sum of two same-shaped values.
    case add
    /// Identity at inference.
    case dropout(p: Double)
    /// Softmax over the last axis.
    case softmax
    /// Option-A shortcut: subsample by `stride`; the input channels land in the middle of
    /// `outChannels`, zeros split before (floor half) and after, as `F.pad(x[:, :, ::s, ::s], (0,0,0,0,p,q))`.
    case shortcutA(outChannels: Int, stride: Int)

    /// The op's name as written in the DSL and printed in the IR.
    public var mnemonic: String {
        switch self {
        case .input: return "input"
        case .conv: return "conv"
        case .batchNorm: return "batchnorm"
        case .scaleShift: return "scale_shift"
        case .activation(let a):
            if case .leakyRelu = a { return "leaky_relu" }
            return a.description
        case .maxPool: return "maxpool"
        case .avgPool: return "avgpool"
        case .globalAvgPool: return "global_avgpool"
        case .flatten: return "flatten"
        case .linear: return "linear"
        case .add: return "add"
        case .dropout: return "dropout"
        case .softmax: return "softmax"
        case .shortcutA: return "shortcut_a"
        }
    }
}
