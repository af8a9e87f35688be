// The geometry of a direct convolution whose output is nChw16c (16 output channels per vector):
// how the input is addressed (blocked, or NCHW for a stem that reads the model's input), whether
// a pre-pass pads it, and how the output rows are cut into kernel calls and work units.

/// One blocked direct conv's cut. A kernel call computes `groupBlocks` output blocks (16
/// channels each) × up to `width` consecutive pixels of one output row (or, for `flat` 1×1
/// stride-1 unpadded convs, of the whole plane taken as one row), reducing over every input
/// channel and tap in registers (or over a slice of them per pass, see `splitBlocks`), then
/// applies the epilogue and stores. Work unit = (block group, image, chunk of consecutive tiles),
/// groups outermost so that a thread's range keeps one group's weights in cache for every image
/// of the batch; or, `pixelMajor`, (image, chunk, group). The cut depends only on the shape, the
/// instruction set and the tuning, never on the thread count: results are bitwise identical for
/// any threads.
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
    /// The plane as one row of `outHeight·outWidth` pixels (see `isFlat`).
    public let flat: Bool
    /// The plane as one row of pixels too, for a conv that is not flat (a 3×3 or padded one,
    /// whose input rows are wider than its output rows): a call's pixels may then span a row end,
    /// so the kernel reads each pixel at its own input offset (`wrapOffset`, tabulated once per
    /// step after the tap offsets). 7-pixel rows on AVX2 run as 9 calls of 5 pixels and 1 of 4,
    /// not 7 × (4 + 3).
    public let wraps: Bool
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
    /// Input blocks per reduction pass, or 0 for one pass over all of them. Splitting the
    /// reduction keeps a slice of a large weight set in L1 while every tile of the unit uses it:
    /// each pass runs the unit's tiles over `splitBlocks` input blocks and adds the partial sums
    /// of the earlier passes (kept in per-worker scratch) before storing; the last pass applies
    /// the epilogue. The passes depend only on the shape, so results stay bitwise identical for
    /// any thread count.
    public let splitBlocks: Int
    /// Weights packed as one stream per output block (`[block][inBlock][tap][channel][16]`), so a
    /// kernel call reads `groupBlocks` sequential streams at once (the hardware prefetcher runs
    /// ahead on each: weights too big for the caches arrive that many times faster); else the
    /// group's blocks side by side (`[inBlock][tap][channel][groupBlocks·16]`).
    public let blockStreams: Bool
    /// Units ordered pixels-first: unit = (image, chunk of `chunkTiles` tiles, block group) with
    /// the group fastest, so consecutive units (one thread's range) reuse one chunk of input from
    /// L1/L2 for every group while the (small) weights stay in L2. Else group-first, for weights
    /// bigger than the input: a thread's range keeps one group's weights in cache.
    public let pixelMajor: Bool

    /// The tiling of `s` for kernel calls of `groupBlocks` × `width`, aiming at ≥ `targetUnits`.
    public init(shape s: ConvShape, inputBlocked: Bool, groupBlocks: Int, width: Int, tileRows: Int = 1,
                wraps: Bool = false, inPlace: Bool = false, splitBlocks: Int = 0, blockStreams: Bool = false,
                chunkTiles: Int = 0, targetUnits: Int = 32) {
        self.blockStreams = blockStreams
        pixelMajor = chunkTiles > 0 && !inPlace
        self.inPlace = inPlace
        self.splitBlocks = !inputBlocked || splitBlocks >= s.inChannels / 16 ? 0 : splitBlocks
        self.inputBlocked = inputBlocked
        phased = inputBlocked && s.stride > 1
        pads = s.padding > 0 || phased
        phasesPerAxis = phased && s.kernel > 1 ? s.stride : 1
        let paddedHeight = s.inHeight + 2 * s.padding, paddedWidth = s.inWidth + 2 * s.padding
        inputHeight = phased ? (paddedHeight + s.stride - 1) / s.stride : paddedHeight
        inputWidth = phased ? (paddedWidth + s.stride - 1) / s.stride : paddedWidth
        flat = Self.isFlat(s, inputBlocked: inputBlocked)
        self.wraps = wraps && !flat && tileRows == 1
        self.groupBlocks = groupBlocks
        self.width = width
        self.tileRows = flat ? 1 : tileRows
        outBlocks = s.outChannels / 16
        rows = flat || self.wraps ? 1 : (s.outHeight + self.tileRows - 1) / self.tileRows
        let rowLength = flat || self.wraps ? s.pixels : s.outWidth
        tilesPerRow = self.tileRows > 1 ? 1 : (rowLength + width - 1) / width
        let planes = s.batch * (inPlace ? 1 : (outBlocks + groupBlocks - 1) / groupBlocks)
        // A split reduction reuses each weight slice over the unit's tiles: fewer, longer units.
        let target = self.splitBlocks > 0 ? targetUnits / 2 : targetUnits
        chunks = pixelMajor ? (rows * tilesPerRow + chunkTiles - 1) / chunkTiles
            : max(1, min(rows * tilesPerRow, (target + planes - 1) / planes))
    }

    /// Whether `s` runs over its output plane as one row: a 1×1 unpadded conv at stride 1, or
    /// strided over a blocked input, whose one phase plane is exactly the output grid. Kernel
    /// calls then cross row ends, so every call but the last is a full-width tile (7×7 maps
    /// as 9 calls of 5 pixels and 1 of 4 on AVX2, not 7 × (4 + 3)).
    public static func isFlat(_ s: ConvShape, inputBlocked: Bool) -> Bool {
        s.kernel == 1 && s.padding == 0 && (s.stride == 1 || inputBlocked)
    }

    /// Block groups per image.
    public var groups: Int { (outBlocks + groupBlocks - 1) / groupBlocks }
    /// Output pixels per tile row.
    public func rowLength(_ s: ConvShape) -> Int { flat || wraps ? s.pixels : s.outWidth }
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
        let tiles = rows * tilesPerRow
        let chunk: Int, image: Int, group: Int
        if pixelMajor {
            (image, chunk, group) = (unit / (chunks * groups), unit / groups % chunks, unit % groups)
        } else {
            // Group-first over the whole batch: a group's weights serve every image in turn.
            chunk = unit % chunks
            (group, image) = (unit / chunks / s.batch, unit / chunks % s.batch)
        }
        return (image, group, chunk * tiles / chunks..<(chunk + 1) * tiles / chunks)
    }

    /// Input blocks per reduction pass: `splitBlocks`, or all of them (one pass).
    public func passBlocks(_ s: ConvShape) -> Int { splitBlocks > 0 ? splitBlocks : (inputBlocked ? s.inChannels / 16 : 1) }
    /// Most tiles in one unit.
    public var maxUnitTiles: Int { (rows * tilesPerRow + chunks - 1) / chunks }
    /// Per-worker scratch floats: one tile of every output block when `inPlace`; the partial
    /// sums of a unit's tiles when the reduction is split; else none.
    public var scratchFloats: Int {
        if inPlace { return outBlocks * 16 * width }
        return splitBlocks > 0 ? maxUnitTiles * groupBlocks * width * 16 : 0
    }

    /// Floats from the input of the output pixel in column `column` (of its row) to the input of
    /// the pixel `pixels` further on, counting across row ends (`wraps`): from column 0 of row 0,
    /// a pixel's input offset in its block's plane.
    public func wrapOffset(_ s: ConvShape, column: Int, pixels: Int) -> Int {
        let end = column + pixels
        return (end / s.outWidth * inputWidth + end % s.outWidth - column) * planeStride(s) * pixelFloats
    }
    /// `Int`s a wrapping tiling tabulates after its tap offsets: per output column, the
    /// `wrapOffset` of each of a call's `width` pixels from a call starting there.
    public func wrapOffsetCount(_ s: ConvShape) -> Int { wraps ? s.outWidth * width : 0 }

    /// Floats between consecutive channel steps of the packed weights, and between the weights
    /// of a group's consecutive output blocks (see `blockStreams`).
    public func weightSteps(_ s: ConvShape, blocks: Int) -> (channel: Int, block: Int) {
        blockStreams ? (16, s.inChannels * s.kernel * s.kernel * 16) : (blocks * 16, 16)
    }
    /// Floats of the packed weights (all of them, in the layout `blockStreams` says).
    public func packedWeightFloats(_ s: ConvShape) -> Int { s.outChannels * s.inChannels * s.kernel * s.kernel }
}
