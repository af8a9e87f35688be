// Runs convolution work units: GEMM over register tiles (pointwise or im2col B operand) with the
// epilogue applied per finished tile, or the direct plane-at-a-time method. Every output
// element's reduction runs in one fixed order inside one unit, so any split of the units over
// threads gives bitwise-identical results.

import ResNetKernelABI

/// Entry points the runtime calls for convolutions compiled into this module.
public enum ConvKernels {
    /// The pre-pass of `job` (units = the input's `N·C` channel planes): stride phases for
    /// `.implicit`, the partial last tile for `.pointwise`. Must finish before `run` starts.
    public static func prepare(_ job: ConvJob, units: Range<Int>) {
        switch job.method {
        case .implicit: buildPhases(job, units: units)
        case .pointwise: buildTails(job, units: units)
        case .blocked: padInput(job, units: units)
        case .winograd: transformWinogradInput(job, units: units)
        case .blockedDepthwise: padDepthwiseInput(job, units: units)
        case .im2col, .direct: return
        }
    }

    /// Computes and stores the units in `units` of `job`, using `scratch` (at least
    /// `ConvJob.scratchFloats` floats, owned by the calling thread).
    public static func run(_ job: ConvJob, units: Range<Int>, scratch: UnsafeMutablePointer<Float>) {
        switch job.method {
        case .pointwise:
            for unit in units { pointwiseUnit(job, unit, scratch) }
        case .im2col:
            for unit in units { im2colUnit(job, unit, scratch) }
        case .implicit:
            for unit in units { implicitUnit(job, unit, scratch) }
        case .direct:
            for unit in units { directUnit(job, unit, scratch) }
        case .blocked:
            if job.blocked?.inPlace == true {
                for unit in units { blockedInPlaceUnit(job, unit, scratch) }
            } else {
                for unit in units { blockedUnit(job, unit, scratch) }
            }
        case .winograd:
            for unit in units { winogradUnit(job, unit, scratch) }
        case .blockedDepthwise:
            for unit in units { depthwiseUnit(job, unit) }
        }
    }

    /// Pointwise GEMM over the unit's tiles × blocks. With `packsPanels`: per tile and depth
    /// chunk (`packedPanelUnit`), the strided NCHW rows are packed into a contiguous panel
    /// (zero-padded for a partial tile) that stays in L1 while every block runs over it.
    /// Otherwise B rows are read straight from the NCHW input over the full depth; a partial last
    /// tile reads the zero-padded copy its pre-pass made (`buildTails`).
    private static func pointwiseUnit(_ job: ConvJob, _ unit: Int, _ scratch: UnsafeMutablePointer<Float>) {
        let s = job.shape, t = job.tiling
        let (n, group, tiles, blocks) = t.unit(unit, of: s)
        let firstChannel = n * s.inChannels + group * s.inPerGroup
        let groupInput = job.input + firstChannel * s.pixels
        let depth = s.reduction
        let weights = job.weights + group * t.rowBlocks * depth * t.rows
        if t.packsPanels {
            packedPanelUnit(job, group: group, tiles: tiles, blocks: blocks, scratch) { pixelTile, k, panel in
                let p0 = pixelTile * t.pixels
                packRows(groupInput + p0 + k.lowerBound * s.pixels, rowStride: s.pixels, rows: k.count,
                         count: min(t.pixels, s.pixels - p0), tilePixels: t.pixels, into: panel)
            } finish: { sums, pixelTile, block in
                let p0 = pixelTile * t.pixels
                finishTile(job, sums, batch: n, group: group, block: block, p0: p0, count: min(t.pixels, s.pixels - p0))
            }
            return
        }
        let tails = job.phases.map { UnsafePointer($0 + firstChannel * t.pixels) }
        forEachTile(t, tiles: tiles, blocks: blocks) { pixelTile, block in
            let p0 = pixelTile * t.pixels
            let valid = min(t.pixels, s.pixels - p0)
            let a = weights + block * depth * t.rows
            if valid == t.pixels {
                microKernel(depth, a, groupInput + p0, s.pixels, scratch)
            } else if let tails {
                microKernel(depth, a, tails, t.pixels, scratch)
            }
            finishTile(job, scratch, batch: n, group: group, block: block, p0: p0, count: valid)
        }
    }

    /// A unit over packed B panels (tiles outer): per pixel tile and depth chunk `k`,
    /// `pack(tile, k, panel)` fills the panel, every block of the unit accumulates over it (its
    /// partial sums kept in scratch between chunks, so the summation order is that of one pass),
    /// and after the last chunk `finish(sums, tile, block)` stores the block's tile.
    @inline(__always)
    static func packedPanelUnit(_ job: ConvJob, group: Int, tiles: Range<Int>, blocks: Range<Int>,
                                _ scratch: UnsafeMutablePointer<Float>,
                                pack: (Int, Range<Int>, UnsafeMutablePointer<Float>) -> Void,
                                finish: (UnsafeMutablePointer<Float>, Int, Int) -> Void) {
        let s = job.shape, t = job.tiling
        let depth = s.reduction, chunks = t.depthChunks(s), tileFloats = t.rows * t.pixels
        let weights = job.weights + group * t.rowBlocks * depth * t.rows
        let partials = scratch + tileFloats, panel = partials + (chunks > 1 ? t.blocksPerUnit * tileFloats : 0)
        for pixelTile in tiles {
            for c in 0..<chunks {
                let k = c * depth / chunks..<(c + 1) * depth / chunks
                pack(pixelTile, k, panel)
                for block in blocks {
                    let sums = chunks == 1 ? scratch : partials + (block - blocks.lowerBound) * tileFloats
                    microKernel(k.count, weights + (block * depth + k.lowerBound) * t.rows, panel, t.pixels, sums,
                                accumulate: c > 0)
                    if c == chunks - 1 { finish(sums, pixelTile, block) }
                }
            }
        }
    }

    /// Runs `body(tile, block)` over the unit's tiles × blocks in the tiling's loop order.
    @inline(__always)
    static func forEachTile(_ t: ConvTiling, tiles: Range<Int>, blocks: Range<Int>, _ body: (Int, Int) -> Void) {
        if t.tilesOuter {
            for tile in tiles { for block in blocks { body(tile, block) } }
        } else {
            for block in blocks { for tile in tiles { body(tile, block) } }
        }
    }

    /// Hands a finished tile (block `block`, pixels `p0 ..< p0 + count`) to the epilogue.
    @inline(__always)
    static func finishTile(_ job: ConvJob, _ sums: UnsafeMutablePointer<Float>, batch n: Int, group: Int, block: Int,
                           p0: Int, count: Int) {
        let s = job.shape, t = job.tiling
        let firstRow = block * t.rows
        let finished = FinishedTile(values: sums, rowStride: t.pixels, rows: min(t.rows, s.outPerGroup - firstRow),
                                    count: count, batch: n, channel0: group * s.outPerGroup + firstRow, pixel0: p0)
        job.epilogue.finish(finished, bias: job.bias)
    }

    /// Pre-pass of a pointwise conv whose last pixel tile is partial: copies that tile's columns
    /// of input rows `units` (unit = `(n, c)`) into `job.phases`, zero-padded to a full tile.
    static func buildTails(_ job: ConvJob, units: Range<Int>) {
        guard let tails = job.phases else { return }
        let s = job.shape, t = job.tiling
        let p0 = (t.pixelTiles - 1) * t.pixels
        for unit in units {
            let row = tails + unit * t.pixels
            storeRow(job.input + unit * s.pixels + p0, row, s.pixels - p0)
            zeroRow(row + s.pixels - p0, t.pixels - (s.pixels - p0))
        }
    }

    /// im2col GEMM (the fallback): per tile, pack the panel into scratch, then run its blocks.
    private static func im2colUnit(_ job: ConvJob, _ unit: Int, _ scratch: UnsafeMutablePointer<Float>) {
        let s = job.shape, t = job.tiling
        let (n, group, tiles, blocks) = t.unit(unit, of: s)
        let groupInput = job.input + (n * s.inChannels + group * s.inPerGroup) * s.inHeight * s.inWidth
        let tile = scratch, panel = scratch + t.rows * t.pixels
        for pixelTile in tiles {
            let p0 = pixelTile * t.pixels
            let valid = min(t.pixels, s.pixels - p0)
            packIm2colPanel(s, group: groupInput, firstPixel: p0, tilePixels: t.pixels, into: panel)
            for block in blocks {
                microKernel(s.reduction, job.weights + (group * t.rowBlocks + block) * s.reduction * t.rows,
                            panel, t.pixels, tile)
                let firstRow = block * t.rows
                let finished = FinishedTile(values: tile, rowStride: t.pixels, rows: min(t.rows, s.outPerGroup - firstRow),
                                            count: valid, batch: n, channel0: group * s.outPerGroup + firstRow, pixel0: p0)
                job.epilogue.finish(finished, bias: job.bias)
            }
        }
    }

    /// One `(n, o)` output plane computed tap by tap into scratch, then finished row by row.
    private static func directUnit(_ job: ConvJob, _ unit: Int, _ plane: UnsafeMutablePointer<Float>) {
        let s = job.shape
        let n = unit / s.outChannels, oc = unit % s.outChannels
        let firstInput = (oc / s.outPerGroup) * s.inPerGroup
        let taps = s.kernel * s.kernel
        zeroRow(plane, s.pixels)
        for ic in 0..<s.inPerGroup {
            let channel = job.input + (n * s.inChannels + firstInput + ic) * s.inHeight * s.inWidth
            let weights = job.weights + (oc * s.inPerGroup + ic) * taps
            for kh in 0..<s.kernel {
                for kw in 0..<s.kernel {
                    accumulateTap(s, weights[kh * s.kernel + kw], channel, plane,
                                  offsetY: kh * s.dilation - s.padding, offsetX: kw * s.dilation - s.padding)
                }
            }
        }
        job.epilogue.finish(FinishedTile(values: plane, rowStride: s.pixels, rows: 1, count: s.pixels, batch: n,
                                         channel0: oc, pixel0: 0), bias: job.bias)
    }

    /// `plane[y, x] += w · channel[y·s + offsetY, x·s + offsetX]` where that lies in the image.
    @inline(__always)
    private static func accumulateTap(_ s: ConvShape, _ w: Float, _ channel: UnsafePointer<Float>,
                                      _ plane: UnsafeMutablePointer<Float>, offsetY: Int, offsetX: Int) {
        let rows = insideOutputs(offset: offsetY, extent: s.inHeight, stride: s.stride, count: s.outHeight)
        let cols = insideOutputs(offset: offsetX, extent: s.inWidth, stride: s.stride, count: s.outWidth)
        if cols.isEmpty { return }
        for y in rows {
            let source = channel + (y * s.stride + offsetY) * s.inWidth + offsetX
            let destination = plane + y * s.outWidth
            if s.stride == 1 {
                for x in cols { destination[x] += w * source[x] }
            } else {
                for x in cols { destination[x] += w * source[x * s.stride] }
            }
        }
    }

    /// Output positions `o < count` with `0 ≤ o·stride + offset < extent`.
    @inline(__always)
    private static func insideOutputs(offset: Int, extent: Int, stride: Int, count: Int) -> Range<Int> {
        let low = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let last = extent - 1 - offset
        let high = last < 0 ? 0 : last / stride + 1
        let lower = min(low, count)
        return lower..<max(lower, min(high, count))
    }
}
