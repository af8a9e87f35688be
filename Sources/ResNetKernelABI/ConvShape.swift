// The geometry of one convolution and how its output is cut into work units; shared by the
// runtime (which sizes units and scratch) and every ISA-specific kernel module (which runs them).

/// Shapes and hyper-parameters of one NCHW convolution, already validated by the runtime.
public struct ConvShape: Hashable, Sendable {
    public let batch: Int, inChannels: Int, inHeight: Int, inWidth: Int
    public let outChannels: Int, outHeight: Int, outWidth: Int
    public let kernel: Int, stride: Int, padding: Int, dilation: Int, groups: Int

    /// A convolution shape; every value is assumed consistent (PyTorch output-size rule).
    public init(batch: Int, inChannels: Int, inHeight: Int, inWidth: Int, outChannels: Int,
                outHeight: Int, outWidth: Int, kernel: Int, stride: Int, padding: Int,
                dilation: Int, groups: Int) {
        self.batch = batch
        self.inChannels = inChannels
        self.inHeight = inHeight
        self.inWidth = inWidth
        self.outChannels = outChannels
        self.outHeight = outHeight
        self.outWidth = outWidth
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
    }

    /// Input channels seen by one output channel.
    public var inPerGroup: Int { inChannels / groups }
    /// Output channels per group.
    public var outPerGroup: Int { outChannels / groups }
    /// Length of one output element's reduction: `inPerGroup · kernel²`.
    public var reduction: Int { inPerGroup * kernel * kernel }
    /// Output pixels per plane.
    public var pixels: Int { outHeight * outWidth }
    /// Multiply-adds × 2 for the whole convolution.
    public var flops: Int { 2 * batch * outChannels * pixels * reduction }
}

/// How a GEMM-shaped convolution is split: per image and group, the output plane is cut into
/// pixel tiles and the group's output channels into blocks of `rows`; a work unit is a chunk of
/// tiles times a chunk of blocks. Units walk tiles outside blocks (each tile's input stays in
/// cache while the weights stream past) unless the weights are too big for L2 and the input is
/// not, then blocks outside tiles (each weight block stays while the input streams past).
/// The split depends only on the shape, never on the thread count, so results are identical
/// however units are spread over threads.
public struct ConvTiling: Hashable, Sendable {
    /// Output channels per register tile (the micro-kernel's row count).
    public let rows: Int
    /// Output pixels per register tile.
    public let pixels: Int
    /// Channel blocks per group: `ceil(outPerGroup / rows)`.
    public let rowBlocks: Int
    /// Pixel tiles per plane: `ceil(extent / tile pixels)`.
    public let pixelTiles: Int
    /// Chunks the tiles of one plane are split into.
    public let tileChunks: Int
    /// Chunks the row blocks of one group are split into.
    public let blockChunks: Int
    /// Whether a unit loops over its tiles outside its blocks (weights re-read per tile) rather
    /// than blocks outside tiles (input re-read per block).
    public let tilesOuter: Bool
    /// With packed panels (`packsPanels`), the most reduction indices one panel holds: a unit reduces in chunks of at most this depth, keeping each tile's partial sums
    /// between chunks (in registers within a chunk, stored exactly in between), so the summation
    /// order is the same for any chunk size. Sized so a chunk's panel (`depthChunk × pixels`
    /// floats, 32 KiB) stays in the L1 cache while every row block of the unit runs over it.
    public let depthChunk: Int
    /// Whether each tile's B rows of a depth chunk are first copied into a contiguous panel in
    /// scratch (strided or scattered rows become one L1-resident stream) rather than read in
    /// place by every block. Only with tiles outer (a panel serves the blocks of one tile).
    public let packsPanels: Bool

    /// The tiling of `shape` for a `rows × pixels` micro-kernel over `extent` flat output
    /// positions per plane (default: the plane's pixels), aiming at ≥ `targetUnits` units.
    /// `tilesOuter` nil = choose by traffic; `packsPanels` is dropped when blocks end up outer.
    public init(shape: ConvShape, rows: Int, pixels: Int, extent: Int? = nil, tilesOuter: Bool? = nil,
                packsPanels: Bool = false, targetUnits: Int = 16) {
        self.rows = rows
        self.pixels = pixels
        depthChunk = max(1, 8192 / pixels)
        let blocks = (shape.outPerGroup + rows - 1) / rows
        let tiles = ((extent ?? shape.pixels) + pixels - 1) / pixels
        rowBlocks = blocks
        pixelTiles = tiles
        let cacheFloats = 128 * 1024   // half of a 1 MiB L2, in floats
        let weightFloats = shape.outPerGroup * shape.reduction
        let inputFloats = shape.inPerGroup * shape.inHeight * shape.inWidth
        let outer = tilesOuter ?? (weightFloats <= cacheFloats || inputFloats > cacheFloats)
        self.tilesOuter = outer
        self.packsPanels = packsPanels && outer
        let planes = shape.batch * shape.groups
        if outer {
            tileChunks = tiles
            blockChunks = max(1, min(blocks, (targetUnits + planes * tiles - 1) / (planes * tiles)))
        } else {
            blockChunks = blocks
            tileChunks = max(1, min(tiles, (targetUnits + planes * blocks - 1) / (planes * blocks)))
        }
    }

    /// The number of depth chunks `shape`'s reduction is cut into; chunk c covers reduction
    /// indices `c·reduction/chunks ..< (c+1)·reduction/chunks`.
    /// Only packed panels are chunked: reading rows in place, or with blocks outer, the partial
    /// sums' extra stores and loads cost more than keeping a chunk in L1 saved (measured 0–6 %).
    public func depthChunks(_ shape: ConvShape) -> Int {
        packsPanels ? max(1, (shape.reduction + depthChunk - 1) / depthChunk) : 1
    }

    /// The most reduction indices in one depth chunk of `shape`.
    public func chunkDepth(_ shape: ConvShape) -> Int {
        let chunks = depthChunks(shape)
        return (shape.reduction + chunks - 1) / chunks
    }

    /// The most row blocks one unit holds (partial sums are kept for that many tiles).
    public var blocksPerUnit: Int { (rowBlocks + blockChunks - 1) / blockChunks }

    /// Number of work units for `shape`.
    public func units(_ shape: ConvShape) -> Int { shape.batch * shape.groups * tileChunks * blockChunks }

    /// The tiles and blocks of unit `unit` (of `shape`), with its image and group.
    public func unit(_ unit: Int, of shape: ConvShape) -> (batch: Int, group: Int, tiles: Range<Int>, blocks: Range<Int>) {
        var rest = unit
        let blockChunk = rest % blockChunks
        rest /= blockChunks
        let tileChunk = rest % tileChunks
        rest /= tileChunks
        return (rest / shape.groups, rest % shape.groups,
                tileChunk * pixelTiles / tileChunks..<(tileChunk + 1) * pixelTiles / tileChunks,
                blockChunk * rowBlocks / blockChunks..<(blockChunk + 1) * rowBlocks / blockChunks)
    }
}
