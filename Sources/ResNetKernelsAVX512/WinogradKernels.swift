// Winograd F(m×m, 3×3) over nChw16c, m = 2 or 4 (and m = 2 at stride 2): the pre-pass that,
// when units split a chunk's outputs, transforms the input once for all of them, and the unit
// that transforms a chunk of input tiles (V = Bᵀ d B; windows inside the input read in place,
// edge windows gathered with their zeros first), multiplies them by the transformed weights
// with this module's blocked register tiles (M[ξ] = V[ξ] · U[ξ] for the α² ξ), and transforms
// the products back (Y = Aᵀ M A), applying bias, residual and activation before the one store.
//
// F(2,3):  Bᵀ = | 1  0 -1  0 |    Aᵀ = | 1 1  1  0 |
//               | 0  1  1  0 |         | 0 1 -1 -1 |
//               | 0 -1  1  0 |
//               | 0  1  0 -1 |
//
// F(4,3):  Bᵀ = | 4  0 -5  0  1  0 |    Aᵀ = | 1  1  1  1  1  0 |
//               | 0 -4 -4  1  1  0 |         | 0  1 -1  2 -2  0 |
//               | 0  4 -4 -1  1  0 |         | 0  1  1  4  4  0 |
//               | 0 -2 -1  2  1  0 |         | 0  1 -1  8 -8  1 |
//               | 0  2 -1 -2  1  0 |
//               | 0  4  0 -5  0  1 |
//
// F(2,3) at stride 2, over a 5×5 window:
//
//          Bᵀ = | 1  0 -1  0  0 |    Aᵀ = | 1 1 0 1 0 |
//               | 0  0  1  0  0 |         | 0 1 1 0 1 |
//               | 0  0 -1  0  1 |
//               | 0  1  0  0  0 |
//               | 0  0  0  1  0 |
//
// Every vector holds one 16-channel block, so each transform is adds, subtracts and scalings
// of blocks.

import ResNetKernelABI

extension ConvKernels {
    /// Pre-pass, when the units split each chunk's outputs (`sharesInput`): transforms every
    /// tile of input planes `units` (one per image and input block) into the shared `V` in
    /// `job.phases`, each unit gathering edge windows into its own window buffer after them.
    static func transformWinogradInput(_ job: ConvJob, units: Range<Int>) {
        guard let t = job.winograd, t.sharesInput, let shared = job.phases else { return }
        let s = job.shape
        let inBlocks = s.inChannels / 16, plane = s.inHeight * s.inWidth * 16
        let windows = shared + t.sharedInputFloats(s)
        for unit in units {
            let n = unit / inBlocks, block = unit % inBlocks
            for chunk in 0..<t.chunks {
                transformTiles(t, s, plane: job.input + unit * plane, tiles: t.chunkRange(chunk), block: block,
                               into: shared + (n * t.chunks + chunk) * t.chunkInputFloats(s),
                               stride: t.inputMatrixFloats(s), window: windows + unit * t.windowFloats)
            }
        }
    }

    /// `V[ξ][block][tile]` = Bᵀ d B for `tiles` (an image's chunk) of one block's input plane,
    /// `V[ξ]` `stride` floats apart. A window inside the plane is read in place; one that reaches
    /// over an edge is first gathered, with zeros for the padding and past the end, into `window`
    /// (`t.windowFloats`).
    @inline(__always)
    private static func transformTiles(_ t: WinogradTiling, _ s: ConvShape, plane: UnsafePointer<Float>, tiles: Range<Int>,
                                       block: Int, into v: UnsafeMutablePointer<Float>, stride: Int,
                                       window: UnsafeMutablePointer<Float>) {
        let alpha = t.inputTile
        for (local, tile) in tiles.enumerated() {
            let (y0, x0) = t.window(tile, of: s)
            let source: BlockWindow
            if y0 >= 0, x0 >= 0, y0 + alpha <= s.inHeight, x0 + alpha <= s.inWidth {
                source = BlockWindow(base: plane + (y0 * s.inWidth + x0) * 16, rowStride: s.inWidth * 16)
            } else {
                gatherWindow(plane, height: s.inHeight, width: s.inWidth, y0: y0, x0: x0, side: alpha, into: window)
                source = BlockWindow(base: window, rowStride: alpha * 16)
            }
            let slots = TileSlots(base: v + (block * t.chunkTiles + local) * 16, stride: stride)
            if t.stride == 2 {
                transformInputStrided(source, into: slots)
            } else if t.outputTile == 4 {
                transformInput6(source, into: slots)
            } else {
                transformInput(source, into: slots)
            }
        }
    }

    /// Copies the `side × side` window of a `height × width` plane of 16-float pixels that starts
    /// at pixel (`y0`, `x0`) into `window` (rows `side` pixels long), zeros where it lies outside
    /// the plane.
    @inline(__always)
    private static func gatherWindow(_ plane: UnsafePointer<Float>, height: Int, width: Int, y0: Int, x0: Int, side: Int,
                                     into window: UnsafeMutablePointer<Float>) {
        let first = min(max(-x0, 0), side), end = max(first, min(width - x0, side))
        for r in 0..<side {
            let row = window + r * side * 16, y = y0 + r
            guard y >= 0 && y < height else {
                zeroRow(row, side * 16)
                continue
            }
            zeroRow(row, first * 16)
            storeRow(plane + (y * width + x0 + first) * 16, row + first * 16, (end - first) * 16)
            zeroRow(row + end * 16, (side - end) * 16)
        }
    }

    /// Copies planes `units` (`height × width` pixels of `floatsPerPixel` floats each) into planes
    /// of `paddedHeight × paddedWidth` pixels, `padding` pixels in from the top and left, zeros
    /// everywhere else.
    static func padPlanes(_ input: UnsafePointer<Float>, into padded: UnsafeMutablePointer<Float>, units: Range<Int>,
                          height: Int, width: Int, floatsPerPixel e: Int, padding p: Int,
                          paddedHeight: Int, paddedWidth: Int) {
        let rowFloats = width * e, paddedRow = paddedWidth * e
        let after = paddedRow - p * e - rowFloats
        for unit in units {
            let from = input + unit * height * rowFloats
            let to = padded + unit * paddedHeight * paddedRow
            zeroRow(to, p * paddedRow)
            for y in 0..<height {
                let line = to + (y + p) * paddedRow
                zeroRow(line, p * e)
                storeRow(from + y * rowFloats, line + p * e, rowFloats)
                zeroRow(line + p * e + rowFloats, after)
            }
            zeroRow(to + (p + height) * paddedRow, (paddedHeight - p - height) * paddedRow)
        }
    }

    /// One Winograd unit: an image's chunk of output tiles.
    static func winogradUnit(_ job: ConvJob, _ unit: Int, _ scratch: UnsafeMutablePointer<Float>) {
        guard let t = job.winograd, let zeroOffset = job.tapOffsets else { return }
        let s = job.shape
        let (n, chunkIndex, tiles, groups) = t.unit(unit, of: s)
        let count = tiles.count, chunk = t.chunkTiles
        let inBlocks = s.inChannels / 16, outBlocks = s.outChannels / 16
        let vStride = t.inputMatrixFloats(s), mStride = t.productMatrixFloats(s)
        let v: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>
        if t.sharesInput {
            // The pre-pass transformed this chunk's input once for all its units.
            guard let shared = job.phases else { return }
            v = shared + (n * t.chunks + chunkIndex) * t.chunkInputFloats(s)
            m = scratch
        } else {
            // V[ξ][inBlock][tile] = Bᵀ d B over each tile's α×α input window, block by block.
            // Scratch: V, a window buffer, then M.
            v = scratch
            let window = scratch + t.chunkInputFloats(s)
            m = window + t.windowFloats
            let plane = s.inHeight * s.inWidth * 16
            let image = job.input + n * inBlocks * plane
            for block in 0..<inBlocks {
                transformTiles(t, s, plane: image + block * plane, tiles: tiles, block: block, into: v, stride: vStride,
                               window: window)
            }
        }
        // M[ξ] = V[ξ] · U[ξ] for this unit's output blocks: a 1×1 blocked conv over the chunk's
        // tiles, raw sums.
        // Each call prefetches the next call's input and a part of the weights of the next
        // (ξ, group) in this order: a group's calls share out those blocks' lines
        // (`weightPrefetch`, as in blockedUnit: with the lines spread over the calls instead of
        // fetched by a group's first call, layer4's F(2,3) convs took 0.80× the time on AVX2,
        // layer3's 0.92×).
        let lines = inBlocks * 16, calls = (count + t.width - 1) / t.width
        for xi in 0..<t.products {
            let weights = job.weights + t.weightMatrix(xi) * s.inChannels * s.outChannels
            for group in groups {
                let firstBlock = group * t.groupBlocks
                let blocks = min(t.groupBlocks, outBlocks - firstBlock)
                let nextXi = group + 1 < groups.upperBound ? xi : xi + 1
                let nextFirstBlock = (group + 1 < groups.upperBound ? group + 1 : groups.lowerBound) * t.groupBlocks
                let nextBlocks = nextXi < t.products ? min(t.groupBlocks, outBlocks - nextFirstBlock) : 0
                let nextWeights = job.weights + t.weightMatrix(nextXi) * s.inChannels * s.outChannels
                    + nextFirstBlock * 16 * s.inChannels
                // The input prefetch steps the call's width, as the direct kernels do, so the
                // AVX2 tiles take their channel steps four at a time here too. Against a whole
                // tile per step (the next few calls' lines ahead), the width measured 1.01× on
                // AVX-512 and 0.98-0.99× on AVX2's F(2,3) and F(4,3) steps.
                var args = BlockedTileArgs(
                    input: UnsafePointer(v + xi * vStride), inBlocks: inBlocks, inBlockStride: chunk * 16, channels: 16,
                    channelStride: 1, taps: 1, tapOffsets: zeroOffset, pixelStride: 16,
                    weights: weights + firstBlock * 16 * s.inChannels, weightStride: blocks * 16, blockWeightStride: 16, width: 0,
                    rowPixels: t.width, rowJump: 0, nextInput: UnsafePointer(v + xi * vStride), prefetchInputStep: t.width,
                    prefetchWeights: nextWeights)
                var store = BlockStore(output: m + xi * mStride + firstBlock * chunk * 16, blockStride: chunk * 16,
                                       residual: nil, bias: nil, activation: .identity)
                let base = store.output
                // Runs of full-width calls go to one kernel call each, as in blockedUnit.
                var x = 0, call = 0
                while x < count {
                    args.width = min(t.width, count - x)
                    let full = min((count - x) / t.width,
                                   callsLeftInPrefetchRun(call: call, calls: calls, runs: nextBlocks))
                    (args.tiles, args.tileStep) = full > 1 ? (full, t.width * 16) : (1, 0)
                    let covered = args.tiles * args.width
                    args.input = UnsafePointer(v + xi * vStride + x * 16)
                    args.nextInput = x + covered < count ? args.input + covered * 16 : UnsafePointer(v + nextXi * vStride)
                    args.prefetchWeightStep = 0
                    if let part = weightPrefetch(call: call, calls: calls, runs: nextBlocks, lines: lines) {
                        args.prefetchWeights = nextWeights + (part.run * lines + part.line) * 16
                        args.prefetchWeightStep = part.step
                    }
                    store.output = base + x * 16
                    blockedTile(blocks, args, store)
                    x += covered
                    call += args.tiles
                }
            }
        }
        // Y = Aᵀ M A per tile and output block, finished and stored (edge tiles clipped).
        let outPlane = s.pixels * 16
        let output = job.epilogue.output + n * outBlocks * outPlane
        var residual: UnsafePointer<Float>? = nil
        if case .identity(let r) = job.epilogue.residual { residual = r + n * outBlocks * outPlane }
        let store = BlockStore(output: output, blockStride: outPlane, residual: residual, bias: job.bias,
                               activation: job.epilogue.activation)
        let blocks = groups.lowerBound * t.groupBlocks..<min(outBlocks, groups.upperBound * t.groupBlocks)
        for (local, tile) in tiles.enumerated() {
            let y0 = t.outputTile * (tile / t.tilesWide), x0 = t.outputTile * (tile % t.tilesWide)
            let rows = min(t.outputTile, s.outHeight - y0), cols = min(t.outputTile, s.outWidth - x0)
            let pixel = y0 * s.outWidth + x0
            for block in blocks {
                let products = TileSlots(base: m + (block * chunk + local) * 16, stride: mStride)
                if t.outputTile == 4 {
                    finishTile4(products, store, block: block, pixel: pixel, rows: rows, cols: cols, rowPixels: s.outWidth)
                } else {
                    let y = t.stride == 2 ? transformOutputStrided(products) : transformOutput(products)
                    store.put(y.0, block, pixel)
                    if cols > 1 { store.put(y.1, block, pixel + 1) }
                    if rows > 1 {
                        store.put(y.2, block, pixel + s.outWidth)
                        if cols > 1 { store.put(y.3, block, pixel + s.outWidth + 1) }
                    }
                }
                if store.kind == 2 {
                    for dy in 0..<rows { store.activateStoredRun(block: block, pixel: pixel + dy * s.outWidth, count: cols) }
                }
            }
        }
    }

    /// `V = Bᵀ d B` for one block's 4×4 window `d`; `V[ξ]` goes to slot ξ of `v`.
    @inline(__always)
    private static func transformInput(_ d: BlockWindow, into v: TileSlots) {
        for j in 0..<4 {
            // Column j of Bᵀ d, kept in V's slots (i, j) until the row pass below.
            let d0 = d[0, j], d1 = d[1, j], d2 = d[2, j], d3 = d[3, j]
            v[0 * 4 + j] = d0 - d2
            v[1 * 4 + j] = d1 + d2
            v[2 * 4 + j] = d2 - d1
            v[3 * 4 + j] = d1 - d3
        }
        for i in 0..<4 {
            let t0 = v[i * 4], t1 = v[i * 4 + 1], t2 = v[i * 4 + 2], t3 = v[i * 4 + 3]
            v[i * 4 + 0] = t0 - t2
            v[i * 4 + 1] = t1 + t2
            v[i * 4 + 2] = t2 - t1
            v[i * 4 + 3] = t1 - t3
        }
    }

    /// `Y = Aᵀ M A` for one block of one tile, `M[ξ]` in slot ξ of `m`: (y00, y01, y10, y11).
    @inline(__always)
    private static func transformOutput(_ m: TileSlots) -> (Block, Block, Block, Block) {
        @inline(__always) func load(_ i: Int, _ j: Int) -> Block { m[i * 4 + j] }
        let c00 = load(0, 0) + load(1, 0) + load(2, 0), c10 = load(1, 0) - load(2, 0) - load(3, 0)
        let c01 = load(0, 1) + load(1, 1) + load(2, 1), c11 = load(1, 1) - load(2, 1) - load(3, 1)
        let c02 = load(0, 2) + load(1, 2) + load(2, 2), c12 = load(1, 2) - load(2, 2) - load(3, 2)
        let c03 = load(0, 3) + load(1, 3) + load(2, 3), c13 = load(1, 3) - load(2, 3) - load(3, 3)
        return (c00 + c01 + c02, c01 - c02 - c03, c10 + c11 + c12, c11 - c12 - c13)
    }

    /// `V = Bᵀ d B` of stride-2 F(2,3) for one block's 5×5 window `d`; `V[ξ]` goes to slot ξ of
    /// `v`. Rows first, into V's slots, then columns.
    @inline(__always)
    private static func transformInputStrided(_ d: BlockWindow, into v: TileSlots) {
        for i in 0..<5 {
            let x2 = d[i, 2]
            v[i * 5 + 0] = d[i, 0] - x2
            v[i * 5 + 1] = x2
            v[i * 5 + 2] = d[i, 4] - x2
            v[i * 5 + 3] = d[i, 1]
            v[i * 5 + 4] = d[i, 3]
        }
        for j in 0..<5 {
            let x0 = v[j], x1 = v[5 + j], x2 = v[10 + j], x3 = v[15 + j], x4 = v[20 + j]
            v[j] = x0 - x2
            v[5 + j] = x2
            v[10 + j] = x4 - x2
            v[15 + j] = x1
            v[20 + j] = x3
        }
    }

    /// `Y = Aᵀ M A` of stride-2 F(2,3) for one block of one tile, `M[ξ]` in slot ξ of `m`:
    /// (y00, y01, y10, y11).
    @inline(__always)
    private static func transformOutputStrided(_ m: TileSlots) -> (Block, Block, Block, Block) {
        // Column j of Aᵀ M: rows (0, 1, 3) and (1, 2, 4).
        @inline(__always) func column(_ j: Int) -> (Block, Block) {
            let m1 = m[5 + j]
            return (m[j] + m1 + m[15 + j], m1 + m[10 + j] + m[20 + j])
        }
        let c0 = column(0), c1 = column(1), c2 = column(2), c3 = column(3), c4 = column(4)
        return (c0.0 + c1.0 + c3.0, c1.0 + c2.0 + c4.0, c0.1 + c1.1 + c3.1, c1.1 + c2.1 + c4.1)
    }

    /// `V = Bᵀ d B` of F(4,3) for one block's 6×6 window `d`; `V[ξ]` goes to slot ξ of `v`.
    /// Columns first, into V's slots, then rows.
    @inline(__always)
    private static func transformInput6(_ d: BlockWindow, into v: TileSlots) {
        for j in 0..<6 {
            let r = bt6(d[0, j], d[1, j], d[2, j], d[3, j], d[4, j], d[5, j])
            v[0 * 6 + j] = r.0
            v[1 * 6 + j] = r.1
            v[2 * 6 + j] = r.2
            v[3 * 6 + j] = r.3
            v[4 * 6 + j] = r.4
            v[5 * 6 + j] = r.5
        }
        for i in 0..<6 {
            let r = bt6(v[i * 6], v[i * 6 + 1], v[i * 6 + 2], v[i * 6 + 3], v[i * 6 + 4], v[i * 6 + 5])
            v[i * 6 + 0] = r.0
            v[i * 6 + 1] = r.1
            v[i * 6 + 2] = r.2
            v[i * 6 + 3] = r.3
            v[i * 6 + 4] = r.4
            v[i * 6 + 5] = r.5
        }
    }

    /// Bᵀ of F(4,3) applied to one column (or row) of six blocks.
    @inline(__always)
    private static func bt6(_ d0: Block, _ d1: Block, _ d2: Block, _ d3: Block, _ d4: Block,
                            _ d5: Block) -> (Block, Block, Block, Block, Block, Block) {
        let a = d4 - 4 * d2, b = d3 - 4 * d1, c = d4 - d2, e = 2 * (d3 - d1)
        return (4 * d0 - 5 * d2 + d4, a + b, a - b, c + e, c - e, 4 * d1 - 5 * d3 + d5)
    }

    /// `Y = Aᵀ M A` of F(4,3) for one block of one tile (`M[ξ]` in slot ξ of `m`), its `rows` ×
    /// `cols` outputs finished and stored at `pixel` (rows `rowPixels` apart). The column pass
    /// writes Aᵀ M into M's first four rows of slots.
    @inline(__always)
    private static func finishTile4(_ m: TileSlots, _ store: BlockStore, block: Int, pixel: Int, rows: Int, cols: Int,
                                    rowPixels: Int) {
        for j in 0..<6 {
            let y = at6(m[j], m[6 + j], m[12 + j], m[18 + j], m[24 + j], m[30 + j])
            m[j] = y.0
            m[6 + j] = y.1
            m[12 + j] = y.2
            m[18 + j] = y.3
        }
        for i in 0..<rows {
            let y = at6(m[i * 6], m[i * 6 + 1], m[i * 6 + 2], m[i * 6 + 3], m[i * 6 + 4], m[i * 6 + 5])
            let p = pixel + i * rowPixels
            store.put(y.0, block, p)
            if cols > 1 { store.put(y.1, block, p + 1) }
            if cols > 2 { store.put(y.2, block, p + 2) }
            if cols > 3 { store.put(y.3, block, p + 3) }
        }
    }

    /// Aᵀ of F(4,3) applied to one column (or row) of six blocks.
    @inline(__always)
    private static func at6(_ m0: Block, _ m1: Block, _ m2: Block, _ m3: Block, _ m4: Block,
                            _ m5: Block) -> (Block, Block, Block, Block) {
        let a = m1 + m2, b = m1 - m2, c = m3 + m4, d = m3 - m4
        return (m0 + a + c, b + 2 * d, a + 4 * c, b + 8 * d + m5)
    }
}

/// One tile's α² values of one block: slot ξ is the block at `base + ξ·stride` (the tile's place
/// in `V[ξ]` or `M[ξ]`).
private struct TileSlots {
    let base: UnsafeMutablePointer<Float>, stride: Int

    @inline(__always)
    subscript(_ xi: Int) -> Block {
        get { UnsafeRawPointer(base + xi * stride).loadUnaligned(as: Block.self) }
        nonmutating set { UnsafeMutableRawPointer(base + xi * stride).storeBytes(of: newValue, as: Block.self) }
    }
}

/// One block's α×α input window: pixel (i, j) at `base + i·rowStride + 16·j`.
private struct BlockWindow {
    let base: UnsafePointer<Float>, rowStride: Int

    @inline(__always)
    subscript(_ i: Int, _ j: Int) -> Block {
        UnsafeRawPointer(base + i * rowStride + j * 16).loadUnaligned(as: Block.self)
    }
}
