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
    /// Ranges the output block groups are split into, one unit each (each unit transforms its
    /// chunk's whole input, then multiplies and finishes only its own output blocks).
    public let outSplits: Int
    /// The padded input the pre-pass writes: `padding` zeros before, enough after to cover every
    /// tile's 4×4 window (`2·tiles + 2`).
    public let paddedHeight: Int, paddedWidth: Int
    /// Output blocks per GEMM register tile and tiles per GEMM register tile.
    public let groupBlocks: Int, width: Int

    /// The cut of `s` for GEMM register tiles of `groupBlocks` × `width`. Small transformed
    /// weights (≤ 1 MiB): chunks of tiles whose scratch stays in L2 (160 Ki floats), the weights
    /// re-read per chunk. Large ones: chunks of up to 512 Ki floats of scratch (a 14×14 map's 49
    /// tiles at 256 channels in one chunk), so each weight is read once per image, and the output
    /// blocks split into ranges so that at least `targetUnits` units share the work.
    public init(shape s: ConvShape, groupBlocks: Int, width: Int, targetUnits: Int = 4) {
        tilesHigh = (s.outHeight + 1) / 2
        tilesWide = (s.outWidth + 1) / 2
        paddedHeight = 2 * tilesHigh + 2
        paddedWidth = 2 * tilesWide + 2
        self.groupBlocks = groupBlocks
        self.width = width
        let tiles = tilesHigh * tilesWide
        let largeWeights = 16 * s.inChannels * s.outChannels > 256 * 1024
        let budget = largeWeights ? 512 * 1024 : 160 * 1024
        let fit = budget / (16 * (s.inChannels + s.outChannels))
        let chunk = max(width, fit / width * width)
        chunks = (tiles + chunk - 1) / chunk
        chunkTiles = (tiles + chunks - 1) / chunks
        let groups = (s.outChannels / 16 + groupBlocks - 1) / groupBlocks
        outSplits = largeWeights ? max(1, min(groups, (targetUnits + s.batch * chunks - 1) / (s.batch * chunks))) : 1
    }

    /// The 1×1 conv each product `V[ξ] · U[ξ]` is: `s`'s channels over a row of `tiles` tiles.
    public static func productShape(_ s: ConvShape, tiles: Int) -> ConvShape {
        ConvShape(batch: 1, inChannels: s.inChannels, inHeight: 1, inWidth: tiles, outChannels: s.outChannels,
                  outHeight: 1, outWidth: tiles, kernel: 1, stride: 1, padding: 0, dilation: 1, groups: 1)
    }

    /// The blocked cut of one product (its weights are packed by it).
    public func productTiling(_ s: ConvShape) -> BlockedTiling {
        BlockedTiling(shape: Self.productShape(s, tiles: width), inputBlocked: true, groupBlocks: groupBlocks,
                      width: width)
    }

    /// Output tiles per image.
    public var tiles: Int { tilesHigh * tilesWide }
    /// Work units.
    public func units(_ s: ConvShape) -> Int { s.batch * chunks * outSplits }
    /// The image, tile range and output block-group range of `unit` (of `s`).
    public func unit(_ unit: Int, of s: ConvShape) -> (batch: Int, tiles: Range<Int>, groups: Range<Int>) {
        let split = unit % outSplits, rest = unit / outSplits
        let chunk = rest % chunks
        let groups = (s.outChannels / 16 + groupBlocks - 1) / groupBlocks
        return (rest / chunks, chunk * chunkTiles..<min(tiles, (chunk + 1) * chunkTiles),
                split * groups / outSplits..<(split + 1) * groups / outSplits)
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
