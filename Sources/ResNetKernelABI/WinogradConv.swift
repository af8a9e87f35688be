// The geometry of a Winograd F(m×m, 3×3) convolution over nChw16c tensors (m = 2 or 4 at stride
// 1, m = 2 at stride 2): output m×m tiles each computed from an α×α input tile, in chunks of tiles
// per work unit, and the per-unit scratch that holds a chunk's transformed input and products.

/// The output tile side m of Winograd F(m×m, 3×3).
public enum WinogradOutputTile: Int, Hashable, Sendable {
    case two = 2, four = 4
}

/// One Winograd conv's cut (3×3, stride 1 or 2, dilation 1, groups 1, nChw16c in and out). Per
/// unit (image, chunk of `chunkTiles` m×m output tiles): the input tiles are transformed into α²
/// matrices `V[ξ]` (`[inBlock][tile][16]`), each multiplied by the transformed weights `U[ξ]` with
/// the blocked register-tile kernels into `M[ξ]` (`[outBlock][tile][16]`), and every tile's α²
/// products are transformed back into its m×m outputs, finished (bias, residual, activation) and
/// stored. F(2,3) does 2.25× fewer multiplications than direct, F(4,3) 4× (with 36/16 more
/// transformed weights and larger rounding errors).
///
/// At stride 2 (m = 2, α = 5) a 2×2 output tile reads a 5×5 input window, its origin 4 pixels
/// from the next tile's. Along each axis the window's even samples x0, x2, x4 meet the kernel's
/// outer taps (w0, w2) as F(2,2) does, `(x0 − x2, x2, x4 − x2)` against `(w0, w0 + w2, w2)`,
/// and its odd samples x1, x3 meet the middle tap w1 as they are: five products for two
/// outputs, 25 for a tile's four against 36 direct (1.44× fewer). Every transform coefficient is
/// 0 or ±1, so no rounding is added beyond the sums' order. Of the 25 `U[ξ]` only 16 differ (the
/// two odd samples of an axis share w1): `weightMatrix(ξ)` says which one a product reads.
///
/// Every output's sums run in an order fixed by the shape alone (the output splits, sized for the
/// worker count, only decide which unit computes which products), so results are bitwise
/// identical for any thread count.
public struct WinogradTiling: Hashable, Sendable {
    /// Output tile side m (2 or 4) and input tile side α (m + 2; 2m + 1 at stride 2).
    public let outputTile: Int, inputTile: Int
    /// The conv's stride (1 or 2) and the pixels from one tile's input window to the next's
    /// (`stride · m`).
    public let stride: Int, tileStep: Int
    /// Output tiles per column and per row: `ceil(outHeight / m)`, `ceil(outWidth / m)`.
    public let tilesHigh: Int, tilesWide: Int
    /// The most tiles a unit's chunk holds (its scratch is sized by it) and chunks per image
    /// (`chunkRange` says which tiles each covers).
    public let chunkTiles: Int, chunks: Int
    /// Ranges the output block groups are split into, one unit each (each unit multiplies and
    /// finishes only its own output blocks). With more than one, the pre-pass transforms every
    /// chunk's input once, into a buffer the units share (`sharesInput`), instead of each unit
    /// transforming it again.
    public let outSplits: Int
    /// Output blocks per GEMM register tile and tiles per GEMM register tile.
    public let groupBlocks: Int, width: Int

    /// The cut of `s` into m×m output tiles (`outputTile`) for GEMM register tiles of
    /// `groupBlocks` × `width`. Small transformed weights (≤ 1 MiB): chunks of tiles whose scratch
    /// stays in L2 (160 Ki floats), the weights re-read per chunk, as many chunks as make the
    /// units a multiple of `targetUnits` (an image's 7 chunks split 4 : 3 over 2 workers left one
    /// idle for a seventh of the step) while each chunk keeps two register-tile widths; where the
    /// chunks are still fewer than `targetUnits` (small maps), the output blocks split as well.
    /// Large ones: chunks of up to 512 Ki floats of scratch (a 14×14 map's 49 F(2,3) tiles at 256
    /// channels in one chunk), so each weight is read once per image, and the output blocks split
    /// into ranges so that at least `targetUnits` units share the work.
    public init(shape s: ConvShape, outputTile tile: WinogradOutputTile = .two, groupBlocks: Int, width: Int,
                targetUnits: Int = 1) {
        precondition(s.stride == 1 || (s.stride == 2 && tile == .two), "Winograd: stride 1, or stride 2 with m = 2")
        let outputTile = tile.rawValue
        self.outputTile = outputTile
        stride = s.stride
        tileStep = s.stride * outputTile
        inputTile = s.stride == 2 ? 2 * outputTile + 1 : outputTile + 2
        tilesHigh = (s.outHeight + outputTile - 1) / outputTile
        tilesWide = (s.outWidth + outputTile - 1) / outputTile
        self.groupBlocks = groupBlocks
        self.width = width
        let tiles = tilesHigh * tilesWide, products = inputTile * inputTile
        let largeWeights = Self.weightMatrices(stride: s.stride, products: products) * s.inChannels * s.outChannels
            > 256 * 1024
        let budget = largeWeights ? 512 * 1024 : 160 * 1024
        let fit = budget / (products * (s.inChannels + s.outChannels))
        let chunk = max(width, fit / width * width)
        // Whole register-tile widths per chunk (no more chunks than widths, or some would be
        // empty; the last chunk also takes the tiles after the last whole width).
        let widths = tiles / width
        var chunks = min((tiles + chunk - 1) / chunk, max(1, widths))
        // More chunks only while each keeps two widths: the last chunk takes the tiles after the
        // last whole width, so with fewer the chunks are far from even (16 tiles of width 6
        // split 6 : 10).
        if !largeWeights,
           let even = (chunks...max(chunks, widths / 2)).first(where: { s.batch * $0 % max(targetUnits, 1) == 0 }) {
            chunks = even
        }
        self.chunks = chunks
        chunkTiles = ((widths + chunks - 1) / chunks) * width + tiles % width
        let groups = (s.outChannels / 16 + groupBlocks - 1) / groupBlocks
        // Large weights, or too few chunks for the workers (a CIFAR net's 8×8 map is 4 tiles):
        // the output blocks split too.
        let perSplit = s.batch * chunks
        outSplits = largeWeights || perSplit < targetUnits
            ? max(1, min(groups, (targetUnits + perSplit - 1) / perSplit)) : 1
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

    /// Transformed matrices per tile: α².
    public var products: Int { inputTile * inputTile }
    /// Distinct transformed weight matrices: α², or 16 at stride 2.
    public var weightMatrices: Int { Self.weightMatrices(stride: stride, products: products) }
    /// The distinct weight matrices of a cut with `stride` and α² = `products`.
    private static func weightMatrices(stride: Int, products: Int) -> Int { stride == 2 ? 16 : products }
    /// The transformed weight matrix product `xi` multiplies by (`weightMatrices` for `products`,
    /// one past the last). At stride 2, ξ = 5i + j reads matrix 4·a(i) + a(j), a = (0, 1, 2, 3, 3):
    /// the odd samples x1 and x3 of an axis both meet its middle tap.
    @inline(__always)
    public func weightMatrix(_ xi: Int) -> Int {
        guard stride == 2 else { return xi }
        guard xi < products else { return weightMatrices }
        return 4 * min(xi / 5, 3) + min(xi % 5, 3)
    }
    /// Output tiles per image.
    public var tiles: Int { tilesHigh * tilesWide }
    /// Work units.
    public func units(_ s: ConvShape) -> Int { s.batch * chunks * outSplits }
    /// The tiles of an image's chunk `chunk`: the image's whole `width`-tile runs spread evenly
    /// over the chunks, the last also taking the tiles after the last whole run (each tile's sums
    /// do not depend on its chunk, so neither do the results).
    public func chunkRange(_ chunk: Int) -> Range<Int> {
        let widths = tiles / width
        return widths * chunk / chunks * width..<(chunk == chunks - 1 ? tiles : widths * (chunk + 1) / chunks * width)
    }
    /// The image, chunk, tile range and output block-group range of `unit` (of `s`).
    public func unit(_ unit: Int, of s: ConvShape) -> (batch: Int, chunk: Int, tiles: Range<Int>, groups: Range<Int>) {
        let split = unit % outSplits, rest = unit / outSplits
        let chunk = rest % chunks
        let groups = (s.outChannels / 16 + groupBlocks - 1) / groupBlocks
        return (rest / chunks, chunk, chunkRange(chunk), split * groups / outSplits..<(split + 1) * groups / outSplits)
    }
    /// Per-worker scratch floats: `V` and a window buffer (unless the input is shared), and `M` of
    /// one chunk.
    public func scratchFloats(_ s: ConvShape) -> Int {
        (sharesInput ? 0 : chunkInputFloats(s) + windowFloats) + products * productMatrixFloats(s)
    }
    /// Floats from one `V[ξ]` of a chunk to the next: the matrix, and one cache line more when
    /// its lines are even in number. A tile's α² transformed values are stored (and its products
    /// loaded back) one matrix apart; an odd step in lines puts them in α² different sets of any
    /// cache with a power-of-two number of sets, at least α² (L1d: 64 sets of 8 lines). When the
    /// matrices were 16 KiB apart (F(4,3) over 16 tiles of 256 channels), all 36 values of a tile
    /// shared one set, and ResNet-50's layer3 convs took 1.15× the time they take now.
    public func inputMatrixFloats(_ s: ConvShape) -> Int { Self.oddLines(chunkTiles * s.inChannels) }
    /// Floats from one `M[ξ]` of a chunk to the next (as `inputMatrixFloats`).
    public func productMatrixFloats(_ s: ConvShape) -> Int { Self.oddLines(chunkTiles * s.outChannels) }
    /// `floats` (a multiple of 16) rounded up to an odd number of 16-float lines.
    static func oddLines(_ floats: Int) -> Int { floats / 16 % 2 == 0 ? floats + 16 : floats }
    /// The input pixel (row, column) where `tile`'s α×α window starts: `tileStep` · (i, j) −
    /// `padding` for tile (i, j). Windows inside the input are read in place; the others (at the
    /// edges, over the padding or past the end) are gathered with their zeros into a window
    /// buffer first.
    @inline(__always)
    public func window(_ tile: Int, of s: ConvShape) -> (y: Int, x: Int) {
        (tileStep * (tile / tilesWide) - s.padding, tileStep * (tile % tilesWide) - s.padding)
    }
    /// Floats of one gathered α×α window of a block: α² pixels of 16 floats.
    public var windowFloats: Int { products * 16 }
    /// Whether a pre-pass transforms the input (`V` of every image and chunk, in the pre-pass
    /// buffer), read by all the units that split a chunk's outputs; otherwise each unit
    /// transforms its own chunk and the conv has no pre-pass.
    public var sharesInput: Bool { outSplits > 1 }
    /// Floats of one chunk's transformed input `V`: `[ξ][inBlock][chunkTiles][16]`, the `V[ξ]`
    /// `inputMatrixFloats` apart.
    public func chunkInputFloats(_ s: ConvShape) -> Int { products * inputMatrixFloats(s) }
    /// Floats of the pre-pass buffer (0 without one): every image's and chunk's `V`, image-major
    /// (`sharedInputFloats`), then one window buffer per pre-pass unit.
    public func prepassFloats(_ s: ConvShape) -> Int {
        sharesInput ? sharedInputFloats(s) + padUnits(s) * windowFloats : 0
    }
    /// Floats of every image's and chunk's `V` at the start of the pre-pass buffer.
    public func sharedInputFloats(_ s: ConvShape) -> Int { s.batch * chunks * chunkInputFloats(s) }
    /// Pre-pass units (when `sharesInput`): one per image and input block, transforming every
    /// tile of its plane.
    public func padUnits(_ s: ConvShape) -> Int { s.batch * s.inChannels / 16 }
    /// Floats of the transformed weights: the `weightMatrices` distinct `U[ξ]`, each packed like a
    /// 1×1 blocked conv.
    public func packedWeightFloats(_ s: ConvShape) -> Int { weightMatrices * s.inChannels * s.outChannels }
}
