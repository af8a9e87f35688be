// Plain descriptions of kernel work (pointers plus constants) that the runtime fills in once per
// step and the ISA-specific kernel modules execute; no behaviour lives here.

/// The conv algorithms the kernel modules implement.
public enum ConvMethod: Hashable, Sendable {
    /// 1×1, stride 1, no padding: GEMM reading NCHW input rows directly (pixels contiguous).
    case pointwise
    /// Any shape: a pre-pass splits the padded input into stride phases (`PhaseLayout`), then
    /// GEMM whose B rows are read in place from the phases through a per-tap offset table.
    case implicit
    /// Any shape: each pixel tile's im2col panel is packed into per-thread scratch, then GEMM.
    case im2col
    /// One output plane at a time, tap by tap (depthwise and tiny grouped convs).
    case direct
    /// Output nChw16c: register tiles of 16-channel blocks × pixels of one row, reduced over
    /// every input channel and tap (`BlockedTiling`); a pre-pass pads the input when needed.
    case blocked
    /// Winograd F(2×2, 3×3) or F(4×4, 3×3) over nChw16c (`WinogradTiling`), for 3×3 stride-1 convs.
    case winograd
    /// Depthwise over nChw16c (`BlockedDepthwiseTiling`): one multiply-add of whole blocks per tap.
    case blockedDepthwise
}

/// Elementwise activation codes understood by the kernels.
public enum ActivationCode: Hashable, Sendable {
    case identity, relu, leakyRelu(slope: Float), relu6, sigmoid, silu
}

/// Where the residual operand comes from (resolved to raw pointers).
public enum ResidualSource {
    case none
    /// Same shape as the output, read element for element (may be the output itself).
    case identity(UnsafePointer<Float>)
    /// Option A: `[N, channels, height, width]` subsampled by `stride`; input channel c lands on
    /// output channel c + channelPad, other output channels get nothing added.
    case subsampled(UnsafePointer<Float>, stride: Int, channels: Int, height: Int, width: Int,
                    channelPad: Int)
}

/// How finished values become output elements: `activation(value + bias + residual)` stored to
/// an `[N, channels, pixels]` output (`pixels = H·W`, or features for a linear layer).
public struct EpilogueJob {
    public let output: UnsafeMutablePointer<Float>
    public let channels: Int
    public let pixels: Int
    /// Output plane width (only option-A residuals need it).
    public let width: Int
    public let activation: ActivationCode
    public let residual: ResidualSource

    public init(output: UnsafeMutablePointer<Float>, channels: Int, pixels: Int, width: Int,
                activation: ActivationCode, residual: ResidualSource) {
        self.output = output
        self.channels = channels
        self.pixels = pixels
        self.width = width
        self.activation = activation
        self.residual = residual
    }
}

/// One convolution bound to its memory.
public struct ConvJob {
    public let shape: ConvShape
    public let method: ConvMethod
    /// Meaningful for the GEMM methods; ignored by `.direct`.
    public let tiling: ConvTiling
    public let input: UnsafePointer<Float>
    /// GEMM methods: packed panels `[group][rowBlock][reduction][rows]` (zero rows past the
    /// group's channels). `.direct`: the plan's `[O, I/groups, K, K]`.
    public let weights: UnsafePointer<Float>
    public let bias: UnsafePointer<Float>?
    public let epilogue: EpilogueJob
    /// The step-wide buffer its pre-pass fills: `.implicit`: the phase planes
    /// (`PhaseLayout.bufferFloats`); `.pointwise` reading in place with a partial last pixel
    /// tile: that tile's columns of every input channel, zero-padded to `[N][C][tile pixels]`.
    public let phases: UnsafeMutablePointer<Float>?
    /// `.implicit` only: the offset of every reduction index k = (ic, kh, kw) in `phases`,
    /// relative to the group's first channel.
    public let tapOffsets: UnsafePointer<Int>?
    /// `.blocked` only: its cut (the GEMM `tiling` is then unused). `tapOffsets` then holds
    /// the input offset of every tap (kh, kw) from a pixel's first float, followed, when
    /// `blocked.wraps`, by its `wrapOffsetCount` pixel offsets; `phases` holds the padded input
    /// when `blocked.pads`.
    public let blocked: BlockedTiling?
    /// `.winograd` only: its cut. `phases` then holds the shared transformed input (nil when the
    /// units transform their own), `tapOffsets` one zero.
    public let winograd: WinogradTiling?
    /// `.blockedDepthwise` only: its cut. `weights` are `[block][kh][kw][16]`; `phases` holds the
    /// padded input when `depthwise.pads`.
    public let depthwise: BlockedDepthwiseTiling?

    public init(shape: ConvShape, method: ConvMethod, tiling: ConvTiling, input: UnsafePointer<Float>,
                weights: UnsafePointer<Float>, bias: UnsafePointer<Float>?, epilogue: EpilogueJob,
                phases: UnsafeMutablePointer<Float>? = nil, tapOffsets: UnsafePointer<Int>? = nil,
                blocked: BlockedTiling? = nil, winograd: WinogradTiling? = nil,
                depthwise: BlockedDepthwiseTiling? = nil) {
        self.blocked = blocked
        self.winograd = winograd
        self.depthwise = depthwise
        self.shape = shape
        self.method = method
        self.tiling = tiling
        self.input = input
        self.weights = weights
        self.bias = bias
        self.epilogue = epilogue
        self.phases = phases
        self.tapOffsets = tapOffsets
    }

    /// Floats of the step-wide pre-pass buffer (`phases`); 0 = no pre-pass.
    public static func sharedFloats(shape: ConvShape, method: ConvMethod, tiling: ConvTiling) -> Int {
        switch method {
        case .implicit: return PhaseLayout(shape: shape).bufferFloats(shape, tiling: tiling)
        case .pointwise:
            // Packed panels zero-pad a partial tile themselves.
            return shape.pixels % tiling.pixels == 0 || tiling.packsPanels ? 0 : shape.batch * shape.inChannels * tiling.pixels
        case .im2col, .direct, .blocked, .winograd, .blockedDepthwise: return 0
        }
    }

    /// Independent work units.
    public var units: Int {
        if let blocked { return blocked.units(shape) }
        if let winograd { return winograd.units(shape) }
        if let depthwise { return depthwise.units(shape) }
        return method == .direct ? shape.batch * shape.outChannels : tiling.units(shape)
    }

    /// Floats of per-thread scratch one unit needs (tile, partial sums and packed panel, or one
    /// output plane).
    public static func scratchFloats(shape: ConvShape, method: ConvMethod, tiling: ConvTiling) -> Int {
        switch method {
        case .blocked, .winograd, .blockedDepthwise: return 0
        case .direct: return shape.pixels
        case .implicit, .pointwise:
            // The tile, the partial sums of a unit's blocks between depth chunks, and one
            // chunk's packed B panel.
            let partials = tiling.depthChunks(shape) > 1 ? tiling.blocksPerUnit : 0
            let panel = tiling.packsPanels ? tiling.chunkDepth(shape) * tiling.pixels : 0
            return tiling.rows * tiling.pixels * (1 + partials) + panel
        case .im2col: return tiling.rows * tiling.pixels + shape.reduction * tiling.pixels
        }
    }
}

/// One fully connected layer `y = x · Wᵀ + b` bound to its memory. Work unit: `rows` outputs of
/// one batch row.
public struct LinearJob {
    public let batch: Int, inFeatures: Int, outFeatures: Int
    public let input: UnsafePointer<Float>
    /// `[O, I]`, as in the plan.
    public let weights: UnsafePointer<Float>
    public let bias: UnsafePointer<Float>?
    public let epilogue: EpilogueJob
    /// Outputs computed together (they share every input load).
    public static let rows = 4

    public init(batch: Int, inFeatures: Int, outFeatures: Int, input: UnsafePointer<Float>,
                weights: UnsafePointer<Float>, bias: UnsafePointer<Float>?, epilogue: EpilogueJob) {
        self.batch = batch
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.input = input
        self.weights = weights
        self.bias = bias
        self.epilogue = epilogue
    }

    /// Independent work units.
    public var units: Int { batch * ((outFeatures + Self.rows - 1) / Self.rows) }
}
