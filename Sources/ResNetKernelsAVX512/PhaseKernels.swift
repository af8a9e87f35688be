// The implicit-GEMM conv: a pre-pass writes each input channel's stride phases (PhaseLayout),
// then each unit reads its B rows from them (in place, or gathered into a per-tile panel) and
// finishes only the flat positions that are real output pixels.

import ResNetKernelABI

extension ConvKernels {
    /// Pre-pass: writes the phase planes of input channels `units` (unit = `(n, c)`) into
    /// `job.phases`. Must complete before any `run` unit of the same job starts.
    static func buildPhases(_ job: ConvJob, units: Range<Int>) {
        guard let phases = job.phases else { return }
        let s = job.shape
        let layout = PhaseLayout(shape: s)
        for unit in units {
            let source = job.input + unit * s.inHeight * s.inWidth
            let channel = phases + unit * layout.channelFloats
            for a in 0..<layout.phasesPerAxis {
                for b in 0..<layout.phasesPerAxis {
                    let plane = channel + (a * layout.phasesPerAxis + b) * layout.plane
                    writePhase(s, layout, source, plane, rowPhase: a, columnPhase: b)
                }
            }
        }
    }

    /// `plane[i][j] = input[i·s + a − p][j·s + b − p]`, zero outside the input.
    @inline(__always)
    private static func writePhase(_ s: ConvShape, _ layout: PhaseLayout, _ source: UnsafePointer<Float>,
                                   _ plane: UnsafeMutablePointer<Float>, rowPhase a: Int, columnPhase b: Int) {
        let stride = layout.stride
        // Columns j whose input column j·s + b − p lies in [0, inWidth).
        let offset = b - s.padding
        let first = min(offset >= 0 ? 0 : (-offset + stride - 1) / stride, layout.width)
        let lastInside = s.inWidth - 1 - offset
        let end = max(first, min(lastInside < 0 ? 0 : lastInside / stride + 1, layout.width))
        for i in 0..<layout.height {
            let row = plane + i * layout.width
            let y = i * stride + a - s.padding
            guard y >= 0 && y < s.inHeight else {
                zeroRow(row, layout.width)
                continue
            }
            zeroRow(row, first)
            let input = source + y * s.inWidth + offset
            if stride == 1 {
                storeRow(input + first, row + first, end - first)
            } else {
                for j in first..<end { row[j] = input[j * stride] }
            }
            zeroRow(row + end, layout.width - end)
        }
    }

    /// The unit's tiles of flat positions × blocks. With `packsPanels`: per tile and depth chunk
    /// (`packedPanelUnit`), the B rows are gathered from the phases into a contiguous panel that
    /// stays in L1 while every block runs over it. Otherwise each tile reads its B rows in place
    /// from the phases over the full depth.
    static func implicitUnit(_ job: ConvJob, _ unit: Int, _ scratch: UnsafeMutablePointer<Float>) {
        guard let phases = job.phases, let offsets = job.tapOffsets else { return }
        let s = job.shape, t = job.tiling
        let layout = PhaseLayout(shape: s)
        let (n, group, tiles, blocks) = t.unit(unit, of: s)
        let groupPhases = UnsafePointer(phases + (n * s.inChannels + group * s.inPerGroup) * layout.channelFloats)
        let depth = s.reduction
        let weights = job.weights + group * t.rowBlocks * depth * t.rows
        if t.packsPanels {
            packedPanelUnit(job, group: group, tiles: tiles, blocks: blocks, scratch) { pixelTile, k, panel in
                gatherRows(groupPhases + pixelTile * t.pixels, offsets: offsets + k.lowerBound, rows: k.count,
                           tilePixels: t.pixels, into: panel)
            } finish: { sums, pixelTile, block in
                finishBlock(job, layout, sums, batch: n, group: group, block: block, q0: pixelTile * t.pixels)
            }
            return
        }
        forEachTile(t, tiles: tiles, blocks: blocks) { pixelTile, block in
            let q0 = pixelTile * t.pixels
            microKernel(depth, weights + block * depth * t.rows, groupPhases + q0, offsets: offsets, scratch)
            finishBlock(job, layout, scratch, batch: n, group: group, block: block, q0: q0)
        }
    }

    /// Hands a finished tile of block `block` (flat positions from `q0`) to the epilogue.
    @inline(__always)
    private static func finishBlock(_ job: ConvJob, _ layout: PhaseLayout, _ sums: UnsafeMutablePointer<Float>,
                                    batch n: Int, group: Int, block: Int, q0: Int) {
        let s = job.shape, t = job.tiling
        let firstRow = block * t.rows
        finishFlat(job, layout, sums, rows: min(t.rows, s.outPerGroup - firstRow), batch: n,
                   channel0: group * s.outPerGroup + firstRow, firstPosition: q0)
    }

    /// Finishes the tile's positions `q0 ..< q0 + tile pixels` that are real output pixels, one
    /// output-row segment at a time.
    @inline(__always)
    private static func finishFlat(_ job: ConvJob, _ layout: PhaseLayout, _ tile: UnsafeMutablePointer<Float>,
                                   rows: Int, batch n: Int, channel0: Int, firstPosition q0: Int) {
        let s = job.shape
        let end = min(q0 + job.tiling.pixels, layout.extent)
        var q = q0
        while q < end {
            let y = q / layout.width, x = q % layout.width
            let rowEnd = min(end, (y + 1) * layout.width)
            if x < s.outWidth {
                let count = min(s.outWidth - x, rowEnd - q)
                let finished = FinishedTile(values: tile + (q - q0), rowStride: job.tiling.pixels, rows: rows,
                                            count: count, batch: n, channel0: channel0, pixel0: y * s.outWidth + x)
                job.epilogue.finish(finished, bias: job.bias)
            }
            q = rowEnd
        }
    }
}
