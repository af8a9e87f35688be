// The geometry of a direct convolution whose output is nChw16c (16 output channels per vector):
// how the input is addressed (blocked, or NCHW for a stem that reads the model's input), whether
// a pre-pass pads it, and how the output rows are cut into kernel calls and work units.

/// One blocked direct conv's cut. A kernel call computes `groupBlocks` output blocks (16
/// channels each) × up to `width` consecutive pixels of one output row (or, for `flat` 1×1
/// stride-1 unpadded convs, of the whole plane taken as one row), reducing over every input
/// channel and tap in registers, then applies the epilogue and stores. Work unit = (image, block
/// group, chunk of consecutive tiles); units of one block group are adjacent, so a thread's
/// range keeps one group's weights in cache. The cut depends only on the shape and the
/// instruction set, never on the thread count: results are bitwise identical for any threads.
public struct BlockedTiling: Hashable, Sendable {
    /// Whether the input is nChw16c (else NCHW, read one channel at a time).
    public let inputBlocked: Bool
    /// Whether a pre-pass copies the input with a zero halo of `padding` (so kernels never test
    /// bounds); without padding the kernels read the input in place.
    public let pads: Bool
    /// Strided blocked input: the pre-pass splits the padded input of each block into
    /// `phasesPerAxis²` phase planes (phase (a, b) holds padded pixel (s·i + a, s·j + b)), so
    /// every tap reads consecutive pixels of one phase (pixel stride 16, not 16·s: a strided
    /// read touches a new cache line per pixel and wastes half of what the prefetcher brings).
    public let phased: Bool
    /// Phases per axis: the stride, or 1 for 1×1 kernels (they only read phase (0, 0)).
    public let phasesPerAxis: Int
    /// Rows and columns of the (padded) input plane the kernels address: of one phase when
    /// `phased`.
    public let inputHeight: Int, inputWidth: Int
    /// The plane as one row of `outHeight·outWidth` pixels (1×1, stride 1, no padding).
    public let flat: Bool
    /// Output blocks per kernel call (the last group may hold fewer).
    public let groupBlocks: Int
    /// Pixels per kernel call (the last tile of a row may hold fewer).
    public let width: Int
    /// Output rows per tile: 1, or (rows narrower than a tile) `width / outWidth` whole rows,
    /// so each call reuses its weights over more pixels.
    public let tileRows: Int
    /// Output blocks: `outChannels / 16`.
    public let outBlocks: Int
    /// Rows of tiles (of `tileRows` output rows each) and tiles per row.
    public let rows: Int, tilesPerRow: Int
    /// Chunks each (image, group)'s tiles are cut into.
    public let chunks: Int
    /// Output written over the start of its own input (a 1×1 stride-1 conv the memory planner
    /// placed in place): a unit is then (image, chunk of tiles) over every block group, each
    /// tile computed into scratch for all output blocks before any is stored, so no input a later
    /// group needs is overwritten (other units read only their own pixels).
    public let inPlace: Bool

    /// The tiling of `s` for kernel calls of `groupBlocks` × `width`, aiming at ≥ `targetUnits`.
    public init(shape s: ConvShape, inputBlocked: Bool, groupBlocks: Int, width: Int, tileRows: Int = 1,
                inPlace: Bool = false, targetUnits: Int = 32) {
        self.inPlace = inPlace
        self.inputBlocked = inputBlocked
        phased = inputBlocked && s.stride > 1
        pads = s.padding > 0 || phased
        phasesPerAxis = phased && s.kernel > 1 ? s.stride : 1
        let paddedHeight = s.inHeight + 2 * s.padding, paddedWidth = s.inWidth + 2 * s.padding
        inputHeight = phased ? (paddedHeight + s.stride - 1) / s.stride : paddedHeight
        inputWidth = phased ? (paddedWidth + s.stride - 1) / s.stride : paddedWidth
        flat = s.kernel == 1 && s.stride == 1 && s.padding == 0
        self.groupBlocks = groupBlocks
        self.width = width
        self.tileRows = flat ? 1 : tileRows
        outBlocks = s.outChannels / 16
        rows = flat ? 1 : (s.outHeight + self.tileRows - 1) / self.tileRows
        let rowLength = flat ? s.pixels : s.outWidth
        tilesPerRow = self.tileRows > 1 ? 1 : (rowLength + width - 1) / width
        let planes = s.batch * (inPlace ? 1 : (outBlocks + groupBlocks - 1) / groupBlocks)
        chunks = max(1, min(rows * tilesPerRow, (targetUnits + planes - 1) / planes))
    }

    /// Block groups per image.
    public var groups: Int { (outBlocks + groupBlocks - 1) / groupBlocks }
    /// Output pixels per tile row.
    public func rowLength(_ s: ConvShape) -> Int { flat ? s.pixels : s.outWidth }
    /// Floats between consecutive input pixels of a row, per unit of stride.
    public var pixelFloats: Int { inputBlocked ? 16 : 1 }
    /// The stride the kernels step through their input plane with (1 within a phase).
    public func planeStride(_ s: ConvShape) -> Int { phased ? 1 : s.stride }
    /// Floats of one input block's (phase) planes, or of one NCHW channel plane.
    public var blockFloats: Int { phasesPerAxis * phasesPerAxis * inputHeight * inputWidth * pixelFloats }
    /// Offset of tap (kh, kw) from a pixel's first float in the (phase-split) input.
    public func tapOffset(_ s: ConvShape, kh: Int, kw: Int) -> Int {
        let y = kh * s.dilation, x = kw * s.dilation
        guard phased else { return (y * inputWidth + x) * pixelFloats }
        let phase = phasesPerAxis == 1 ? 0 : (y % s.stride) * phasesPerAxis + x % s.stride
        return (phase * inputHeight * inputWidth + (y / s.stride) * inputWidth + x / s.stride) * pixelFloats
    }
    /// Input channels per reduction block: 16 for blocked input, all of them for NCHW.
    public func channelsPerBlock(_ s: ConvShape) -> Int { inputBlocked ? 16 : s.inChannels }
    /// Floats of one image of the (padded) input the kernels read.
    public func imageFloats(_ s: ConvShape) -> Int { s.inChannels * phasesPerAxis * phasesPerAxis * inputHeight * inputWidth }
    /// Floats of the pre-pass buffer (0 when the input is read in place).
    public func paddedFloats(_ s: ConvShape) -> Int { pads ? s.batch * imageFloats(s) : 0 }
    /// Number of work units.
    public func units(_ s: ConvShape) -> Int { s.batch * (inPlace ? 1 : groups) * chunks }
    /// Pre-pass units: one per input channel block (blocked) or channel plane (NCHW) per image.
    public func padUnits(_ s: ConvShape) -> Int { s.batch * (inputBlocked ? s.inChannels / 16 : s.inChannels) }

    /// The image, block group (0 when `inPlace`: all of them) and tile range of `unit`.
    public func unit(_ unit: Int, of s: ConvShape) -> (batch: Int, group: Int, tiles: Range<Int>) {
        let chunk = unit % chunks, plane = unit / chunks
        let tiles = rows * tilesPerRow, planeGroups = inPlace ? 1 : groups
        return (plane / planeGroups, plane % planeGroups, chunk * tiles / chunks..<(chunk + 1) * tiles / chunks)
    }

    /// Per-worker scratch floats: one tile of every output block when `inPlace`, else none.
    public var scratchFloats: Int { inPlace ? outBlocks * 16 * width : 0 }

    /// Floats of the packed weights: per group `[inBlock][tap][channel][groupBlocks·16]`.
    public func packedWeightFloats(_ s: ConvShape) -> Int { s.outChannels * s.inChannels * s.kernel * s.kernel }
}
