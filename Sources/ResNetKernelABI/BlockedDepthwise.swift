// The geometry of a depthwise convolution over nChw16c tensors (one input and one output channel
// per group): every vector holds one block's 16 channels, so each tap is one multiply-add of a
// weight vector and an input vector. A pre-pass pads the input when the conv has padding.

/// One blocked depthwise conv's cut: work unit = (image, channel block, range of output rows).
public struct BlockedDepthwiseTiling: Hashable, Sendable {
    /// Whether a pre-pass copies the input with a zero halo of `padding` (the kernel never tests
    /// bounds); else the input is read in place.
    public let pads: Bool
    /// Rows and columns of the (padded) input plane the kernel reads.
    public let inputHeight: Int, inputWidth: Int
    /// Chunks of output rows per (image, block).
    public let rowChunks: Int

    /// The cut of `s` (groups == in channels == out channels, a multiple of 16), aiming at
    /// `targetUnits` units.
    public init(shape s: ConvShape, targetUnits: Int = 32) {
        pads = s.padding > 0
        inputHeight = s.inHeight + 2 * s.padding
        inputWidth = s.inWidth + 2 * s.padding
        let planes = max(1, s.batch * s.outChannels / 16)
        rowChunks = max(1, min(s.outHeight, (targetUnits + planes - 1) / planes))
    }

    /// Whether `s` is a depthwise conv the blocked kernel computes (undilated).
    public static func applies(to s: ConvShape) -> Bool {
        applies(groups: s.groups, inChannels: s.inChannels, outChannels: s.outChannels, dilation: s.dilation)
    }

    /// Whether a conv of these groups, channels and dilation is one the blocked kernel computes:
    /// one input and one output channel per group, channels in whole blocks, no dilation.
    public static func applies(groups: Int, inChannels: Int, outChannels: Int, dilation: Int) -> Bool {
        groups > 1 && groups == inChannels && groups == outChannels && groups % 16 == 0 && dilation == 1
    }

    /// Work units.
    public func units(_ s: ConvShape) -> Int { s.batch * s.outChannels / 16 * rowChunks }
    /// The image, block and output rows of `unit`.
    public func unit(_ unit: Int, of s: ConvShape) -> (batch: Int, block: Int, rows: Range<Int>) {
        let chunk = unit % rowChunks, plane = unit / rowChunks
        let blocks = s.outChannels / 16
        return (plane / blocks, plane % blocks, chunk * s.outHeight / rowChunks..<(chunk + 1) * s.outHeight / rowChunks)
    }
    /// Floats of the padded input (0 without padding).
    public func paddedFloats(_ s: ConvShape) -> Int { pads ? s.batch * s.inChannels * inputHeight * inputWidth : 0 }
    /// Pre-pass units: one per image and block.
    public func padUnits(_ s: ConvShape) -> Int { s.batch * s.inChannels / 16 }
    /// Floats of the packed weights: `[block][kh][kw][16]`.
    public func packedWeightFloats(_ s: ConvShape) -> Int { s.outChannels * s.kernel * s.kernel }
}
