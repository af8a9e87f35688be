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
/// pixel tiles and the group's output channels into blocks of `rows`; a work unit is one pixel
/// tile times one contiguous chunk of blocks. The split depends only on the shape, never on
/// the thread count, so results are identical however units are spread over threads.
public struct ConvTiling: Hashable, Sendable {
    /// Output channels per register tile (the micro-kernel's row count).
    public let rows: Int
    /// Output pixels per register tile.
    public let pixels: Int
    /// Channel blocks per group: `ceil(outPerGroup / rows)`.
    public let rowBlocks: Int
    /// Pixel tiles per plane: `ceil(pixels / tile pixels)`.
    public let pixelTiles: Int
    /// Chunks the row blocks of one pixel tile are split into (more units for small planes).
    public let blockChunks: Int

    /// The tiling of `shape` for a `rows × pixels` micro-kernel over `extent` flat output
    /// positions per plane (default: the plane's pixels), aiming at ≥ `targetUnits` units.
    public init(shape: ConvShape, rows: Int, pixels: Int, extent: Int? = nil, targetUnits: Int = 16) {
        self.rows = rows
        self.pixels = pixels
        rowBlocks = (shape.outPerGroup + rows - 1) / rows
        pixelTiles = ((extent ?? shape.pixels) + pixels - 1) / pixels
        let planes = shape.batch * shape.groups * pixelTiles
        blockChunks = max(1, min(rowBlocks, (targetUnits + planes - 1) / planes))
    }

    /// Number of work units for `shape`.
    public func units(_ shape: ConvShape) -> Int { shape.batch * shape.groups * pixelTiles * blockChunks }
}
