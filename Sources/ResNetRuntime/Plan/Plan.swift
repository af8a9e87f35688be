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

/// A tensor in the arena: its first float and its shape (dense, NCHW / NC order).
public struct TensorRef: Codable, Hashable, Sendable {
    /// Offset of the first element, in floats from the arena's start.
    public var offset: Int
    public var shape: [Int]
    public init(offset: Int, shape: [Int]) {
        self.offset = offset
        self.shape = shape
    }
    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }
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

    public init(name: String, op: StepOp, inputs: [TensorRef], output: TensorRef,
                weights: [WeightRef] = [], epilogue: Epilogue = Epilogue()) {
        self.name = name
        self.op = op
        self.inputs = inputs
        self.output = output
        self.weights = weights
        self.epilogue = epilogue
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
