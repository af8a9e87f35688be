// The Plan: the contract between compiler and runtime, and the body of a `.rnc` file.
// Every tensor lives in one float arena (offsets in floats); every weight in one float blob.

/// A compiled network: where every tensor lives and the steps that compute them.
public struct Plan: Codable, Hashable, Sendable {
    /// The network's name (`resnet50`).
    public var name: String
    /// The model's inputs: name, NCHW shape, arena location.
    public var inputs: [TensorBinding]
    /// The model's outputs.
    public var outputs: [TensorBinding]
    /// Size of the activation arena, in floats.
    public var arenaFloats: Int
    /// Size of the weight blob, in floats.
    public var weightFloats: Int
    /// Steps in execution order.
    public var steps: [Step]
    /// Free-form facts: passes run, target, compiler version, FLOPs, parameters...
    public var metadata: [String: String]
    /// How an image becomes the input (`preprocess` in the `.net` file); nil when not declared.
    /// Optional in the JSON, so files written before it existed still load.
    public var preprocess: Preprocessing?
    /// One name per class of the first output (`labels` in the `.net` file), or nil.
    public var labels: [String]?

    public init(name: String, inputs: [TensorBinding], outputs: [TensorBinding], arenaFloats: Int,
                weightFloats: Int, steps: [Step], metadata: [String: String] = [:],
                preprocess: Preprocessing? = nil, labels: [String]? = nil) {
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.arenaFloats = arenaFloats
        self.weightFloats = weightFloats
        self.steps = steps
        self.metadata = metadata
        self.preprocess = preprocess
        self.labels = labels
    }
}

/// A named model input or output and where it lives in the arena.
public struct TensorBinding: Codable, Hashable, Sendable {
    public var name: String
    public var tensor: TensorRef
    public init(name: String, tensor: TensorRef) {
        self.name = name
        self.tensor = tensor
    }
}

/// How a tensor's elements are ordered in the arena. The shape is always the logical
/// `[N, C, H, W]` (or `[N, F]`); the layout only moves elements, never adds any.
public enum TensorLayout: String, Codable, Hashable, Sendable {
    /// Dense row-major in the shape's order (NCHW for 4-D tensors).
    case nchw
    /// Channels in blocks of 16, innermost: element `(n, c, h, w)` of a `[N, C, H, W]` tensor
    /// is at `((n·C/16 + c/16)·H·W + h·W + w)·16 + c mod 16`. Only for 4-D tensors with `C` a
    /// multiple of 16, so it occupies exactly the floats NCHW would. One vector of 16 channels
    /// per pixel: the direct-convolution kernels broadcast one input channel and multiply it
    /// by 16 output channels at once (AVX2 and the portable path use the same blocks as halves
    /// and quarters, so a plan runs unchanged on every instruction set).
    case nChw16c

    /// Channels per block (1 for `nchw`).
    public var channelBlock: Int { self == .nchw ? 1 : 16 }
}

/// A tensor in the arena: its first float, its logical shape (NCHW / NC order) and the order
/// its elements are stored in.
public struct TensorRef: Codable, Hashable, Sendable {
    /// Offset of the first element, in floats from the arena's start.
    public var offset: Int
    public var shape: [Int]
    /// Storage order; `nchw` unless the compiler's layout assignment blocked it.
    public var layout: TensorLayout
    public init(offset: Int, shape: [Int], layout: TensorLayout = .nchw) {
        self.offset = offset
        self.shape = shape
        self.layout = layout
    }
    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    private enum CodingKeys: String, CodingKey { case offset, shape, layout }

    /// Decodes a ref; a missing `layout` (files written before layouts existed) is `nchw`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        offset = try container.decode(Int.self, forKey: .offset)
        shape = try container.decode([Int].self, forKey: .shape)
        layout = try container.decodeIfPresent(TensorLayout.self, forKey: .layout) ?? .nchw
    }

    /// Encodes a ref; `nchw` is left out, so plans without blocked tensors read as before.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(offset, forKey: .offset)
        try container.encode(shape, forKey: .shape)
        if layout != .nchw { try container.encode(layout, forKey: .layout) }
    }
}

/// A weight tensor in the weight blob.
public struct WeightRef: Codable, Hashable, Sendable {
    /// Offset in floats from the blob's start (a multiple of 16, so 64-byte aligned).
    public var offset: Int
    public var count: Int
    public init(offset: Int, count: Int) {
        self.offset = offset
        self.count = count
    }
}

/// One unit of work: an op over arena tensors and weights, with an epilogue.
public struct Step: Codable, Hashable, Sendable {
    /// The layer name (`layer1.0.conv1`) or a generated one (`relu_12`).
    public var name: String
    public var op: StepOp
    /// Operands. For a fused residual the shortcut is the last input.
    public var inputs: [TensorRef]
    public var output: TensorRef
    /// Weight operands, in the order the op documents.
    public var weights: [WeightRef]
    /// Applied to each output element before it is stored.
    public var epilogue: Epilogue
    /// A convolution's kernel choice measured on a machine by `resnetc tune` (nil: the
    /// chooser's defaults; absent from the file then).
    public var tuning: StepTuning?

    public init(name: String, op: StepOp, inputs: [TensorRef], output: TensorRef,
                weights: [WeightRef] = [], epilogue: Epilogue = Epilogue(), tuning: StepTuning? = nil) {
        self.name = name
        self.op = op
        self.inputs = inputs
        self.output = output
        self.weights = weights
        self.epilogue = epilogue
        self.tuning = tuning
    }
}

/// What a step computes.
public enum StepOp: Codable, Hashable, Sendable {
    /// 2-D convolution. Weights: `[O, I/groups, KH, KW]`, then bias `[O]` if `hasBias`.
    case conv2d(Conv2DParams)
    /// `y = x · Wᵀ + b`. Input `[N, I]`; weights `[O, I]`, then bias `[O]` if `hasBias`.
    case linear(hasBias: Bool)
    /// Per-channel `y = x * scale[c] + shift[c]` (an unfolded batch norm). Weights: scale, shift.
    case scaleShift
    /// Elementwise activation only (the epilogue's activation is the function).
    case activation
    /// Elementwise sum of two same-shaped inputs.
    case add
    case maxPool(PoolParams)
    case avgPool(PoolParams)
    /// Mean over H and W: `[N, C, H, W]` → `[N, C, 1, 1]`.
    case globalAvgPool
    /// Softmax over the last axis.
    case softmax
    /// The paper's option-A shortcut: subsample by `stride`; input channel c goes to c + (O − C)/2,
    /// the other output channels are zero.
    case shortcutA(stride: Int)
    /// Copies the input (e.g. a model output that aliases its input).
    case copy
}

/// Convolution attributes (square kernels; padding symmetric per axis).
public struct Conv2DParams: Codable, Hashable, Sendable {
    public var kernel: Int
    public var stride: Int
    public var padding: Int
    public var dilation: Int
    public var groups: Int
    public var hasBias: Bool
    public init(kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1,
                hasBias: Bool) {
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        self.hasBias = hasBias
    }
}

/// Pooling attributes, as PyTorch's `MaxPool2d` / `AvgPool2d`.
public struct PoolParams: Codable, Hashable, Sendable {
    public var kernel: Int
    public var stride: Int
    public var padding: Int
    public var ceilMode: Bool
    /// Average pooling only: whether padded zeros count in the divisor (PyTorch default true).
    public var countIncludePad: Bool
    public init(kernel: Int, stride: Int, padding: Int = 0, ceilMode: Bool = false,
                countIncludePad: Bool = true) {
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
    }
}

/// What happens to a value after the op computes it: `activation(value + residual)`.
public struct Epilogue: Codable, Hashable, Sendable {
    /// A shortcut added before the activation; it is the step's last input.
    public var residual: Residual?
    public var activation: Activation
    public init(residual: Residual? = nil, activation: Activation = .identity) {
        self.residual = residual
        self.activation = activation
    }
}

/// How the shortcut operand maps onto the output.
public enum Residual: Codable, Hashable, Sendable {
    /// Same shape as the output.
    case identity
    /// Option A: shortcut subsampled by `stride`, extra output channels get zero.
    case shortcutA(stride: Int)
}
