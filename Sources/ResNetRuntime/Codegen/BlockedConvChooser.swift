// Picks the register tile of a blocked (nChw16c-output) convolution from the shape and the tile
// kernels the chosen instruction set's module specializes (kept apart from those kernels).

import ResNetKernelABI
import ResNetKernelsAVX2
import ResNetKernelsAVX512
import ResNetKernelsPortable

enum BlockedConvChooser {
    /// The tiling of `shape` (input nChw16c when `inputBlocked`, else NCHW) on `isa`: among the
    /// specialized tiles whose block count divides the output blocks, the one that covers a row
    /// in the fewest FMA cycles per output block (`rowCycles`: a tile with too few accumulators
    /// for the FMA latency, such as a 1-pixel tail, costs as much as one with enough); of equal
    /// ones, the most accumulators, then wider rows of pixels (fewer weight loads per
    /// multiply-add), then one whose width divides the row; else the generic 1-block kernel. Row
    /// tails go to a narrower specialized tile where the module has one, else to the generic
    /// kernel. Where the module has tiles at pixel offsets and they cover the whole plane as one
    /// row in no more cycles than the row cut (7-pixel rows on AVX2: 9 × 5 + 4 pixels against
    /// 7 × (4 + 3)), the calls wrap across rows (`BlockedTiling.wraps`).
    /// `inPlace`: the output is written over the input (see `BlockedTiling.inPlace`).
    static func tiling(_ shape: ConvShape, inputBlocked: Bool, isa: KernelISA, inPlace: Bool = false,
                       tuning: BlockedConvTuning = BlockedConvTuning()) -> BlockedTiling {
        let menu = shapes(isa)
        let flat = BlockedTiling.isFlat(shape, inputBlocked: inputBlocked)
        let rowLength = flat ? shape.pixels : shape.outWidth
        // Strided blocked inputs are split into phases: the kernels step through one at stride 1.
        let pixelStride = (inputBlocked ? 1 : shape.stride) * (inputBlocked ? 16 : 1)
        let outBlocks = shape.outChannels / 16
        // A tile wrapping over whole rows fits only rows exactly its row length wide.
        var best = bestTile(menu.specialized.filter {
            $0.pixelStride == pixelStride && outBlocks % $0.blocks == 0
                && ($0.rowPixels == $0.width ? $0.width <= rowLength : !flat && $0.rowPixels == rowLength)
        }, rowLength: rowLength, menu: menu)
        var wraps = false
        if !flat, inputBlocked, let wrapping = bestTile(menu.specialized.filter({
            $0.pixelStride == 0 && outBlocks % $0.blocks == 0 && $0.rowPixels == $0.width && $0.width <= shape.pixels
        }), rowLength: shape.pixels, menu: menu) {
            // Per block over the plane: the row cut's cycles × rows / (blocks · rows per call),
            // against the wrapping tile's cycles over all pixels / blocks. A tie goes to the
            // wrap, whose calls are full-width: 32-pixel rows on AVX2 cost the same as 8 × 4
            // pixels or wrapped 6-pixel calls, and CIFAR ResNet-20's 16-channel 3×3 convs took
            // 0.056 ms wrapped against 0.062 (ResNet-50's strided 3×3 convs, 28 and 14 wide:
            // 0.998× and 0.986×).
            let w = rowCycles(wrapping, rowLength: shape.pixels, menu: menu)
            if let row = best.map({ rowCycles($0, rowLength: rowLength, menu: menu) }) {
                wraps = w.cycles * row.blocksRows <= row.cycles * shape.outHeight * w.blocksRows
            } else {
                wraps = true
            }
            if wraps { best = wrapping }
        }
        // No specialized tile: the generic 1-block kernel.
        let blocks = best?.blocks ?? 1, width = best?.width ?? min(menu.genericWidth, rowLength)
        let cut = { (split: Int) in
            BlockedTiling(shape: shape, inputBlocked: inputBlocked, groupBlocks: blocks, width: width,
                          tileRows: best.map { $0.width / $0.rowPixels } ?? 1, wraps: wraps, inPlace: inPlace,
                          splitBlocks: split, blockStreams: tuning.blockStreams,
                          chunkTiles: chunkTiles(shape, width: width, tuning: tuning))
        }
        let tiling = cut(splitBlocks(shape, groupBlocks: blocks, tuning: tuning))
        // A split reduction keeps a weight slice in L1 for the unit's other tiles: where one tile
        // covers the map there are none, and the passes only store and reload partial sums.
        // ResBlock6's 1024-channel 3×3 conv on 2×2 maps took 2.24 ms in one pass against 2.69
        // in 16 KiB slices (`resnetc tune`, AVX2), streaming its 37.7 MB of weights at 17 GB/s.
        return tiling.splitBlocks > 0 && tiling.rows * tiling.tilesPerRow == 1 ? cut(0) : tiling
    }

    /// Of `tiles`, the one covering a row of `rowLength` pixels in the fewest cycles per block
    /// and row; then most accumulators, then the widest (fewest weight vectors per multiply-add:
    /// 4 × 7 loads 4 weight vectors per 28 FMAs, 2 × 14 two, and at 7×7 maps the weights stream
    /// from L2: layer4's 1×1 convs ran 61-75 GFLOP/s as 4 × 7), then no generic tail.
    private static func bestTile(_ tiles: [TileShape], rowLength: Int, menu: TileMenu) -> TileShape? {
        tiles.max { a, b in
            let (ca, cb) = (rowCycles(a, rowLength: rowLength, menu: menu), rowCycles(b, rowLength: rowLength, menu: menu))
            // a is worse when its cycles per block (cycles / (blocks · rows)) are more than b's.
            let (wa, wb) = (ca.cycles * cb.blocksRows, cb.cycles * ca.blocksRows)
            if wa != wb { return wa > wb }
            let key = { (t: TileShape) in (t.blocks * t.width, t.width, rowLength % t.rowPixels == 0 ? 1 : 0) }
            return key(a) < key(b)
        }
    }

    /// A register tile shape of a kernel module: output blocks × pixels at a pixel stride,
    /// wrapping to the next output row every `rowPixels`.
    typealias TileShape = (blocks: Int, width: Int, pixelStride: Int, rowPixels: Int)
    /// What a kernel module offers: its generic kernel's widest call, its specialized tiles, and
    /// the vector registers a 16-channel block takes.
    typealias TileMenu = (genericWidth: Int, specialized: [TileShape], vectorsPerBlock: Int)

    /// Two FMA ports, each with 4 cycles of latency (Skylake-SP and later, Zen 3 and later): a
    /// tile keeps the FMA units busy only with at least this many independent accumulators.
    static let busyChains = 8

    /// The FMA cycles (doubled, to stay integral) per channel step that `tile` takes to cover
    /// one output row of `rowLength` pixels (tiles of `rowPixels`, the tail by the module's
    /// narrower tile or its generic 1-block kernel), for `blocksRows` output blocks × rows. Each
    /// call takes max(its accumulators, `busyChains`) half-cycles: fewer chains wait on latency.
    static func rowCycles(_ tile: TileShape, rowLength: Int, menu: TileMenu) -> (cycles: Int, blocksRows: Int) {
        let chains = { (blocks: Int, pixels: Int) in max(blocks * pixels * menu.vectorsPerBlock, busyChains) }
        guard tile.rowPixels == tile.width else {
            // Whole rows per call (`rowLength == rowPixels`).
            return (chains(tile.blocks, tile.width), tile.blocks * tile.width / tile.rowPixels)
        }
        let tail = rowLength % tile.width
        var cycles = rowLength / tile.width * chains(tile.blocks, tile.width)
        if tail > 0 {
            let narrower = menu.specialized.contains {
                $0.blocks == tile.blocks && $0.width == tail && $0.rowPixels == tail && $0.pixelStride == tile.pixelStride
            }
            // The generic kernel runs one block at a time (and, at pixel offsets, one pixel).
            cycles += narrower ? chains(tile.blocks, tail)
                : tile.blocks * (tile.pixelStride == 0 ? tail * chains(1, 1) : chains(1, tail))
        }
        return (cycles, tile.blocks)
    }

    /// Input blocks per reduction pass (0: one pass) for groups of `groupBlocks` (see
    /// `BlockedConvTuning.splitAboveBytes` and the strided convs' own thresholds). Measured on
    /// 7×7 maps of 512 channels (1 thread, interleaved): 3×3 convs 72-79 GFLOP/s plain, 80-88
    /// with per-block weight streams, 87-104 with the split as well.
    static func splitBlocks(_ shape: ConvShape, groupBlocks: Int, tuning: BlockedConvTuning) -> Int {
        let perBlock = shape.kernel * shape.kernel * groupBlocks * 16 * 16 * 4
        let strided = shape.stride > 1 && shape.kernel > 1
        guard perBlock * (shape.inChannels / 16) > (strided ? tuning.stridedSplitAboveBytes : tuning.splitAboveBytes)
        else { return 0 }
        return max(1, (strided ? tuning.stridedSliceBytes : tuning.splitSliceBytes) / perBlock)
    }

    /// Tiles per pixels-first chunk, or 0 for group-first units (see `BlockedConvTuning`).
    static func chunkTiles(_ shape: ConvShape, width: Int, tuning: BlockedConvTuning) -> Int {
        let weights = shape.outChannels * shape.inChannels * shape.kernel * shape.kernel * 4
        let input = shape.inChannels * shape.inHeight * shape.inWidth * 4
        guard weights <= tuning.pixelMajorWeightBytes, input >= tuning.pixelMajorInputBytes else { return 0 }
        return max(1, tuning.pixelChunkBytes / (width * shape.stride * shape.inChannels * 4))
    }

    /// The Winograd cut of `shape` on `isa` under `schedule`, or nil for the direct kernels.
    /// Winograd applies to 3×3, stride 1, no dilation, one group, blocked input (the output is
    /// blocked), padding ≤ 2. `.auto` picks by map size and weight size, measured per step on
    /// ResNet-50 (1 thread, ms, interleaved runs; AVX-512 on an Intel Xeon):
    ///
    /// | channels, map | direct    | F(2,3)    | F(4,3)    |
    /// |---------------|-----------|-----------|-----------|
    /// | 64, 56×56     | 2.0-2.5   | 1.47-1.85 | 0.92-1.33 |
    /// | 128, 28×28    | 2.0-2.5   | 1.13-1.52 | 0.88-1.29 |
    /// | 256, 14×14    | 2.1-2.3   | 1.40-1.89 | 2.11-2.42 |
    /// | 512, 7×7      | 2.35-2.79 | 3.44-3.98 | 6.7-8.2   |
    ///
    /// F(4,3) where its transformed weights (36·C·C floats) stay at most 1 Mi floats (up to 128
    /// channels; the 128-channel row: whole ResNet-34 and ResNet-50 0.956× the time of F(2,3)
    /// there, 1 thread); at 256 channels they stream from memory. F(2,3) from 14×14 on; with
    /// AVX-512, 7×7 maps stay direct (4×4 tiles compute 64 outputs for 49, and the direct
    /// kernels run fast enough that the 16 MB of transformed weights streaming from memory cost
    /// more than the multiplications they save). With 8-float vectors the direct kernels take
    /// twice the cycles, so F(2,3) pays at 7×7 too: AVX2 on an AMD EPYC (Zen 3), `resnetc tune`
    /// timed layer4's 512-channel convs at 3.41 ms direct, 2.22 F(2,3), 2.25 F(4,3). There F(4,3)
    /// pays from 14×14 on, its 2.25 Mi floats of 256-channel weights streaming or not: layer3's
    /// convs of ResNet-18/34/50 took 1.12-1.14 ms against F(2,3)'s 1.21-1.29 on 1 thread, and
    /// 0.58-0.63 against 0.64-0.66 on 2. On CIFAR ResNet-20 (AVX2, 1 thread, ms per conv):
    ///
    /// | channels, map | direct | F(2,3) | F(4,3) |
    /// |---------------|--------|--------|--------|
    /// | 16, 32×32     | 0.063  | 0.091  | 0.078  |
    /// | 32, 16×16     | 0.061  | 0.057  | 0.037  |
    /// | 64, 8×8       | 0.059  | 0.042  | 0.027  |
    ///
    /// so with narrower vectors one input block stays direct, and F(4,3) also takes maps its 4×4
    /// tiles cover exactly.
    ///
    /// Large transformed weights are read once per image by splitting the output blocks over
    /// `threads` units (one per worker): a split only decides which unit computes which
    /// products, never the order of any sum, so results stay bitwise the same for any thread
    /// count, and one thread transforms each input tile once (four splits took layer3's F(2,3)
    /// convs from 1.40-1.89 ms to 1.8-2.25 on one thread).
    ///
    /// Stride-2 3×3 convs have one Winograd form, F(2,3) at stride 2 (`WinogradTiling`: 1.44×
    /// fewer multiplications), which both named schedules force. `.auto` takes it with narrower
    /// vectors from 14×14 outputs and 32 input channels on; ResNet-50's, AVX2 on Zen 3, 1 thread
    /// (ms per conv, per-step minimums and ranges of alternating profiles):
    ///
    /// | channels, input → output | direct    | F(2,3) stride 2 |
    /// |--------------------------|-----------|-----------------|
    /// | 128, 56×56 → 28×28       | 2.56      | 2.07-2.28       |
    /// | 256, 28×28 → 14×14       | 2.50      | 1.96-2.12       |
    /// | 512, 14×14 → 7×7         | 2.60-2.84 | 2.64-2.75       |
    ///
    /// (at 7×7 a 4×4 grid of tiles covers 8×8 outputs, and its 16 MiB of transformed weights
    /// stream from memory). A later pair of sets (session R) put 7×7 at 2.62 against 2.44 on 1
    /// thread but 1.37 against 1.37 on 2, where the split weights and the shared pre-pass cost
    /// what the products save; the choice may not depend on the thread count (the forms round
    /// differently), so 7×7 stays direct and `resnetc tune` takes F(2,3) where it pays. With
    /// AVX-512 (not measured) strided convs stay direct.
    static func winogradTiling(_ shape: ConvShape, inputBlocked: Bool, isa: KernelISA,
                               schedule: ConvSchedule = .auto, threads: Int = 1) -> WinogradTiling? {
        guard inputBlocked, shape.kernel == 3, shape.stride == 1 || shape.stride == 2, shape.dilation == 1,
              shape.groups == 1, shape.padding <= 2 else { return nil }
        let side = min(shape.outHeight, shape.outWidth)
        let outputTile: WinogradOutputTile
        switch schedule {
        case .direct: return nil
        case .winograd2: outputTile = .two
        case .winograd4: outputTile = shape.stride == 2 ? .two : .four
        case .auto where shape.stride == 2:
            guard shapes(isa).vectorsPerBlock > 1, shape.inChannels >= 32, side >= 14 else { return nil }
            outputTile = .two
        case .auto:
            // 16-float vectors (one per block): 14×14 and up, F(4,3) from 28×28 up to 1 Mi floats
            // of transformed weights; narrower ones: 7×7 and up, F(4,3) from 14×14 up to 4 Mi.
            let wide = shapes(isa).vectorsPerBlock == 1
            guard side >= (wide ? 14 : 7) else { return nil }
            // Narrow vectors, one input block: each product's reduction is 16 long, and the
            // direct kernels win (CIFAR ResNet-20's 16-channel 32×32 convs, AVX2 on Zen 3:
            // 0.063 ms direct, 0.078 F(4,3), 0.091 F(2,3)).
            if !wide && shape.inChannels < 32 { return nil }
            let (fourFrom, fourFloats) = wide ? (28, 1 << 20) : (14, 1 << 22)
            // Narrow vectors also take F(4,3) on maps its 4×4 tiles cover exactly (8×8: CIFAR
            // ResNet-20's 64-channel convs took 0.027 ms against F(2,3)'s 0.042).
            let fits = side >= fourFrom || (!wide && side % 4 == 0)
            outputTile = fits && 36 * shape.inChannels * shape.outChannels <= fourFloats ? .four : .two
        }
        // The products are a 1×1 conv over a chunk of tiles (any number): its register tile.
        let gemm = tiling(WinogradTiling.productShape(shape, tiles: 1 << 20), inputBlocked: true, isa: isa)
        return WinogradTiling(shape: shape, outputTile: outputTile, groupBlocks: gemm.groupBlocks, width: gemm.width,
                              targetUnits: max(threads, 1))
    }

    /// The tile shapes `isa`'s module has.
    static func shapes(_ isa: KernelISA) -> TileMenu {
        switch isa {
        case .avx512:
            typealias M = ResNetKernelsAVX512.BlockedTileShapes
            return (M.genericWidth, M.specialized, M.vectorsPerBlock)
        case .avx2:
            typealias M = ResNetKernelsAVX2.BlockedTileShapes
            return (M.genericWidth, M.specialized, M.vectorsPerBlock)
        case .portable:
            typealias M = ResNetKernelsPortable.BlockedTileShapes
            return (M.genericWidth, M.specialized, M.vectorsPerBlock)
        }
    }
}
