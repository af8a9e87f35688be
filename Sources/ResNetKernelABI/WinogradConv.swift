// The geometry of a Winograd F(2×2, 3×3) convolution over nChw16c tensors: output 2×2 tiles
// each computed from a 4×4 input tile, in chunks of tiles per work unit, and the per-unit scratch
// that holds a chunk's transformed input and products.

/// One Winograd F(2,3) conv's cut (3×3, stride 1, dilation 1, groups 1, nChw16c in and out).
/// Per unit (image, chunk of `chunkTiles` 2×2 output tiles): the input tiles are transformed
/// into 16 matrices `V[ξ]` (`[inBlock][tile][16]`), each multiplied by the transformed weights
/// `U[ξ]` with the blocked register-tile kernels into `M[ξ]` (`[outBlock][tile][16]`), and every
/// tile's 16 products are transformed back into its 2×2 outputs, finished (bias, residual,
/// activation) and stored. 2.25× fewer multiplications than direct for the same output; the cut
/// depends only on the shape, so results are bitwise identical for any thread count.
public struct WinogradTiling: Hashable, Sendable {
    /// Output tiles per column and per row: `ceil(outHeight / 2)`, `ceil(outWidth / 2)`.
    public let tilesHigh: Int, tilesWide: Int
    /// Tiles per unit (the last chunk of an image may hold fewer) and chunks per image.
    public let chunkTiles: Int, chunks: Int
    /// The padded input the pre-pass writes: `padding` zeros before, enough after to cover every
    /// tile's 4×4 window (`2·tiles + 2`).
    public let paddedHeight: Int, paddedWidth: Int
    /// Output blocks per GEMM register tile and tiles per GEMM register tile.
    public let groupBlocks: Int, width: Int

    /// The cut of `s` for GEMM register tiles of `groupBlocks` × `width`: chunks as large as
    /// keep a unit's scratch within `scratchBudget` floats (L2-resident), a multiple of `width`.
    public init(shape s: ConvShape, groupBlocks: Int, width: Int, scratchBudget: Int = 160 * 1024) {
        tilesHigh = (s.outHeight + 1) / 2
        tilesWide = (s.outWidth + 1) / 2
        paddedHeight = 2 * tilesHigh + 2
        paddedWidth = 2 * tilesWide + 2
        self.groupBlocks = groupBlocks
        self.width = width
        let tiles = tilesHigh * tilesWide
        let fit = scratchBudget / (16 * (s.inChannels + s.outChannels))
        let chunk = max(width, fit / width * width)
        chunks = (tiles + chunk - 1) / chunk
        chunkTiles = (tiles + chunks - 1) / chunks
    }

    /// Output tiles per image.
    public var tiles: Int { tilesHigh * tilesWide }
    /// Work units.
    public func units(_ s: ConvShape) -> Int { s.batch * chunks }
    /// The image and tile range of `unit`.
    public func unit(_ unit: Int) -> (batch: Int, tiles: Range<Int>) {
        let chunk = unit % chunks
        return (unit / chunks, chunk * chunkTiles..<min(tiles, (chunk + 1) * chunkTiles))
    }
    /// Per-worker scratch floats: `V` and `M` of one chunk.
    public func scratchFloats(_ s: ConvShape) -> Int { 16 * chunkTiles * (s.inChannels + s.outChannels) }
    /// Floats of the padded input.
    public func paddedFloats(_ s: ConvShape) -> Int { s.batch * s.inChannels * paddedHeight * paddedWidth }
    /// Pre-pass units: one per image and input block.
    public func padUnits(_ s: ConvShape) -> Int { s.batch * s.inChannels / 16 }
    /// Floats of the transformed weights: `U[ξ]` for 16 ξ, each packed like a 1×1 blocked conv.
    public func packedWeightFloats(_ s: ConvShape) -> Int { 16 * s.inChannels * s.outChannels }
}
