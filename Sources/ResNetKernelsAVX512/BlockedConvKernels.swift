// The blocked direct convolution (nChw16c output): the work-unit loop that cuts each unit's
// rows into register tiles for this module's tile kernels (BlockedTiles.swift), the store that
// finishes each accumulator block (bias, residual, activation) while it is still in registers,
// and the pre-pass that pads the input so the tile kernels never test bounds.
//
// In-place guarantee as for the GEMM kernels: each output vector is stored once, after its whole
// reduction (the passes of a split reduction keep their partial sums in scratch), and its
// residual vector (same layout, same offset) is read just before, so an identity residual may be
// the output buffer itself.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ResNetKernelABI

/// What one tile kernel call reduces: every input block, tap and channel for the tile's pixels.
struct BlockedTileArgs {
    /// The tile's first pixel at tap (0, 0) of input block 0.
    var input: UnsafePointer<Float>
    /// Reduction blocks (input channel blocks; 1 for NCHW input) and the floats between them.
    var inBlocks: Int
    let inBlockStride: Int
    /// Channels per reduction block and the floats between consecutive ones.
    let channels: Int, channelStride: Int
    /// Taps and each tap's offset from a pixel's first float.
    let taps: Int
    let tapOffsets: UnsafePointer<Int>
    /// Floats between the tile's consecutive pixels.
    let pixelStride: Int
    /// The first weight vector of the tile's first output block; per channel step the weights
    /// advance by `weightStride` floats (`[inBlock][tap][channel][group blocks · 16]`). 64-byte
    /// aligned (packed buffers are, and every offset into them is a multiple of 16 floats).
    var weights: UnsafePointer<Float>
    let weightStride: Int
    /// Floats from one output block's weight vector to the next block's: 16 when the group's
    /// blocks lie side by side, a whole stream when each block has its own.
    let blockWeightStride: Int
    /// Pixels in this tile, and per output row of it (a tile of 2 rows × 7 pixels wraps after 7).
    var width: Int
    let rowPixels: Int
    /// Floats between the input pixels of consecutive output rows.
    let rowJump: Int
    /// Prefetch hints (they never change a result). After its last input block the tile
    /// prefetches `nextInput` (the next tile's first block, addressed like `input`): per tap,
    /// one line per channel step, `prefetchInputStep` floats apart (0 off). A one-row tile of
    /// `w` blocked pixels steps `w` floats: its 16 channel steps touch exactly the next tile's
    /// `w` pixel lines. (Stepping a whole pixel, 16 floats, fetched 16 lines per input block
    /// for tiles of 4-6 pixels: on AVX2 that doubled the L2 traffic of 1×1 convs over 7×7
    /// maps, whose 64 input blocks' surplus lines evict the weights before the next call.)
    var nextInput: UnsafePointer<Float>
    var prefetchInputStep = 0
    /// Weights a later call reads, fetched into L2 one line per channel step,
    /// `prefetchWeightStep` floats apart (16: a line; 0 off).
    var prefetchWeights: UnsafePointer<Float>
    var prefetchWeightStep = 0
    /// Per pixel, its input's offset (floats) from `input` (the first pixel's, so entry 0 is 0),
    /// `Int`s 8 bytes apart, for a call whose pixels are not `pixelStride` apart
    /// (`BlockedTiling.wraps`; the module's tiles at pixel stride 0 read them), else nil.
    var pixelOffsets: UnsafeRawPointer? = nil
    /// Consecutive tiles of `width` pixels this call runs, each `tileStep` floats of input and
    /// `width` pixels of output after the last (the one-row tiles over blocked input run them
    /// in their `Run` kernels, the generic kernel one at a time; else 1). `nextInput` is then
    /// what follows the last.
    var tiles = 1, tileStep = 0
}

/// What call `call` of a unit's `calls` kernel calls prefetches into L2 of the weights read
/// after them: those weights are `runs` runs of `lines` lines each (a call issues one prefetch
/// per channel step, `lines` of them), each run shared out over `calls / runs` consecutive calls,
/// part by part, the prefetches `step` floats apart (a line takes several when a part is
/// shorter than a call's steps). Returns the run, the part's first line and the step, or nil
/// when the call prefetches nothing. One call per run fetched a whole run at once before: on
/// AVX2 (one block per call) its burst of memory misses stalled that call's own loads, and
/// layer4's 1×1 convs ran 8-12 % slower than with the run spread over the unit's 10 calls.
@inline(__always)
func weightPrefetch(call: Int, calls: Int, runs: Int, lines: Int) -> (run: Int, line: Int, step: Int)? {
    let callsPerRun = prefetchCallsPerRun(calls: calls, runs: runs)
    let run = call / callsPerRun, part = call % callsPerRun
    guard run < runs else { return nil }
    let step = (16 + callsPerRun - 1) / callsPerRun
    let partLines = lines * step / 16
    guard part * partLines < lines else { return nil }
    return (run, part * partLines, step)
}

/// The consecutive calls that share one run in `weightPrefetch`.
@inline(__always)
func prefetchCallsPerRun(calls: Int, runs: Int) -> Int { max(1, calls / max(runs, 1)) }

/// How many of the calls from `call` on prefetch parts of the same run (`weightPrefetch`): a
/// kernel call that runs several tiles continues its first part linearly, so it must not run
/// past them.
@inline(__always)
func callsLeftInPrefetchRun(call: Int, calls: Int, runs: Int) -> Int {
    let callsPerRun = prefetchCallsPerRun(calls: calls, runs: runs)
    return callsPerRun - call % callsPerRun
}

/// Where and how a tile's accumulators are stored: `activation(acc + bias + residual)` to the
/// nChw16c output, block `b` pixel `j` at `output + b·blockStride + 16·j`.
struct BlockStore {
    var output: UnsafeMutablePointer<Float>
    let blockStride: Int
    /// Same layout and offsets as `output` (may be `output` itself), or nil.
    var residual: UnsafePointer<Float>?
    /// The bias of the tile's first block (16 floats per block), or nil.
    var bias: UnsafePointer<Float>?
    let activation: ActivationCode
    /// 0 identity, 1 ReLU (both inline in `put`), 2 any other (`activateStored`, after the puts).
    let kind: Int
    /// Partial sums of earlier reduction passes (added first), block `b` pixel `j` at
    /// `partial + b·partialStride + 16·j`, or nil.
    var partial: UnsafePointer<Float>? = nil
    var partialStride = 0

    init(output: UnsafeMutablePointer<Float>, blockStride: Int, residual: UnsafePointer<Float>?,
         bias: UnsafePointer<Float>?, activation: ActivationCode) {
        self.output = output
        self.blockStride = blockStride
        self.residual = residual
        self.bias = bias
        self.activation = activation
        switch activation {
        case .identity: kind = 0
        case .relu: kind = 1
        default: kind = 2
        }
    }

    /// Finishes and stores accumulator block `block`, pixel `pixel` of the tile, testing which
    /// steps apply for this one vector (the Winograd output transform's stores; the tile kernels
    /// decide once per tile, see `mode`).
    @inline(__always)
    func put(_ acc: Block, _ block: Int, _ pixel: Int) {
        finisher(acc, block, pixel, biasBlock(block), partial: partial != nil, residual: residual != nil, relu: kind == 1)
    }

    /// Which of the finishing steps a tile's stores take (1: partial sums, 2: residual, 4: ReLU):
    /// the tile kernels branch on it once per tile and store through `finisher` with the steps
    /// as literals.
    var mode: Int { (partial == nil ? 0 : 1) | (residual == nil ? 0 : 2) | (kind == 1 ? 4 : 0) }

    /// The bias vector of output block `block`, or -0 (adding -0 changes no value, not even
    /// -0 itself) when the tile has no bias.
    @inline(__always)
    func biasBlock(_ block: Int) -> Block {
        guard let bias else { return Block(repeating: -0.0) }
        return UnsafeRawPointer(bias).loadUnaligned(fromByteOffset: 64 &* block, as: Block.self)
    }

    /// The fields `put` reads, as a value the tile kernels keep in registers for their stores
    /// (read through the store itself, they were reloaded after every vector store, which might
    /// alias them). Absent sums point at the output; `mode` says not to read them.
    var finisher: TileFinisher {
        TileFinisher(output: output, residual: residual ?? UnsafePointer(output), partial: partial ?? UnsafePointer(output),
                     blockStride: blockStride, partialStride: partialStride)
    }

    /// The other activations, over the `blocks` × `pixels` vectors `put` stored (kept out of
    /// the kernels: a call among the stores made LLVM spill every accumulator before each one).
    @inline(never)
    func activateStored(blocks: Int, pixels: Int) {
        guard kind == 2 else { return }
        for block in 0..<blocks { activateStoredRun(block: block, pixel: 0, count: pixels) }
    }

    /// The activation over `count` stored vectors of block `block` from pixel `pixel` on (one row
    /// of pixels), switched once per run, the epilogue's `VectorActivation` ops inlined in the
    /// loop on the module's vector width: one call per 16-lane vector made SiLU cost ~3 ns per
    /// value (resnet18_dws_silu's stem: 5.5 ms against 2.6 for the same conv with ReLU).
    @inline(never)
    func activateStoredRun(block: Int, pixel: Int, count: Int) {
        let start = output + block * blockStride + pixel * 16, floats = count * 16
        switch activation {
        case .identity, .relu: return   // applied in `put`
        case .leakyRelu(let slope): applyStored(start, floats, LeakyReluOp(), slope)
        case .relu6: applyStored(start, floats, Relu6Op(), 0)
        case .sigmoid: applyStored(start, floats, SigmoidOp(), 0)
        case .silu: applyStored(start, floats, SiluOp(), 0)
        }
    }

    /// The store for the generic kernel's run: output block `block`, `pixels` further on.
    @inline(__always)
    mutating func advance(block: Int, pixels: Int) {
        let offset = block * blockStride + pixels * 16
        output += offset
        residual = residual.map { $0 + offset }
        bias = bias.map { $0 + 16 * block }
        partial = partial.map { $0 + block * partialStride + pixels * 16 }
    }
}

/// How a finished accumulator is stored: the store's pointers and strides as a value (kept in
/// registers by the tile kernels), each step chosen by the caller (literals for one
/// `BlockStore.mode` in the kernels) and the block's bias already loaded. The sums run partial,
/// bias, residual, in that order, whoever calls.
struct TileFinisher {
    let output: UnsafeMutablePointer<Float>
    let residual: UnsafePointer<Float>, partial: UnsafePointer<Float>
    let blockStride: Int, partialStride: Int

    @inline(__always)
    func callAsFunction(_ acc: Block, _ block: Int, _ pixel: Int, _ bias: Block, partial addPartial: Bool,
                        residual addResidual: Bool, relu: Bool) {
        let offset = block &* blockStride &+ pixel &* 16
        var v = acc
        if addPartial { v += UnsafeRawPointer(partial + (block &* partialStride &+ pixel &* 16)).loadUnaligned(as: Block.self) }
        v += bias
        if addResidual { v += UnsafeRawPointer(residual + offset).loadUnaligned(as: Block.self) }
        if relu { v = v.replacing(with: 0, where: v .< 0) }
        UnsafeMutableRawPointer(output + offset).storeBytes(of: v, as: Block.self)
    }
}

/// `op` over `floats` stored floats from `start` (a multiple of the module's vector width).
@inline(__always)
private func applyStored<Op: VectorActivation>(_ start: UnsafeMutablePointer<Float>, _ floats: Int, _ op: Op,
                                                  _ slope: Float) {
    let raw = UnsafeMutableRawPointer(start)
    for offset in stride(from: 0, to: floats * 4, by: MemoryLayout<Vec>.size) {
        raw.storeBytes(of: op.apply(raw.loadUnaligned(fromByteOffset: offset, as: Vec.self), slope),
                       toByteOffset: offset, as: Vec.self)
    }
}

extension BlockedTiling {
    /// `BlockedTileArgs.prefetchInputStep` for this cut's calls: a one-row tile's width (its
    /// channel steps then touch exactly the next tile's pixel lines), a whole pixel for tiles
    /// over several rows, none for NCHW input (one channel plane per reduction block).
    var inputPrefetchStep: Int { inputBlocked ? (tileRows > 1 ? 16 : width) : 0 }
}

extension ConvKernels {
    /// One unit of a blocked conv written over its own input (`BlockedTiling.inPlace`, flat
    /// 1×1 stride 1, no residual): per tile, every block group into `scratch`, then stored.
    static func blockedInPlaceUnit(_ job: ConvJob, _ unit: Int, _ scratch: UnsafeMutablePointer<Float>) {
        guard let t = job.blocked, let tapOffsets = job.tapOffsets else { return }
        let s = job.shape
        let (n, _, tiles) = t.unit(unit, of: s)
        let image = job.input + n * t.imageFloats(s)
        let outPlane = s.pixels * 16
        let output = job.epilogue.output + n * t.outBlocks * outPlane
        let inBlocks = s.inChannels / 16, passBlocks = t.passBlocks(s)
        for tile in tiles {
            let x0 = tile * t.width, width = min(t.width, s.pixels - x0)
            // The passes of a split reduction as in `blockedUnit`, the partial sums of every
            // group in the tile's scratch, so the sums match the out-of-place run bit for bit.
            for first in Swift.stride(from: 0, to: inBlocks, by: passBlocks) {
                let count = min(passBlocks, inBlocks - first), last = first + count == inBlocks
                for group in 0..<t.groups {
                    let firstBlock = group * t.groupBlocks
                    let blocks = min(t.groupBlocks, t.outBlocks - firstBlock)
                    let steps = t.weightSteps(s, blocks: blocks)
                    let args = BlockedTileArgs(
                        input: image + first * t.blockFloats + x0 * 16, inBlocks: count, inBlockStride: t.blockFloats,
                        channels: 16, channelStride: 1, taps: 1, tapOffsets: tapOffsets, pixelStride: 16,
                        weights: job.weights + firstBlock * 16 * s.inChannels + first * 16 * steps.channel,
                        weightStride: steps.channel, blockWeightStride: steps.block, width: width,
                        rowPixels: t.width, rowJump: 0, nextInput: image + first * t.blockFloats + (x0 + t.width) * 16,
                        prefetchInputStep: t.inputPrefetchStep, prefetchWeights: job.weights)
                    let slot = scratch + firstBlock * t.width * 16
                    var store = BlockStore(output: slot, blockStride: t.width * 16, residual: nil,
                                           bias: last ? job.bias.map { $0 + 16 * firstBlock } : nil,
                                           activation: last ? job.epilogue.activation : .identity)
                    store.partial = first == 0 ? nil : UnsafePointer(slot)
                    store.partialStride = t.width * 16
                    blockedTile(blocks, args, store)
                }
            }
            for block in 0..<t.outBlocks {
                storeRow(scratch + block * t.width * 16, output + block * outPlane + x0 * 16, width * 16)
            }
        }
    }

    /// One unit of a blocked conv: its image, block group and run of tiles; with a split
    /// reduction, one pass per slice of input blocks over every tile, the partial sums in
    /// `scratch` (a slot per tile of the unit, `BlockedTiling.scratchFloats`). Each call also
    /// prefetches the input of the call after it and, in its first calls, the weights of the
    /// next pass or unit (`BlockedTileArgs`).
    static func blockedUnit(_ job: ConvJob, _ unit: Int, _ scratch: UnsafeMutablePointer<Float>) {
        guard let t = job.blocked, let tapOffsets = job.tapOffsets else { return }
        let s = job.shape
        let (n, group, tiles) = t.unit(unit, of: s)
        let source = t.pads ? UnsafePointer(job.phases ?? UnsafeMutablePointer(mutating: job.input)) : job.input
        let image = source + n * t.imageFloats(s)
        let firstBlock = group * t.groupBlocks
        let blocks = min(t.groupBlocks, t.outBlocks - firstBlock)
        let taps = s.kernel * s.kernel
        let steps = t.weightSteps(s, blocks: blocks)
        let e = t.pixelFloats, stride = t.planeStride(s)
        let plane = t.inputHeight * t.inputWidth
        let rowLength = t.rowLength(s)
        let outPlane = s.pixels * 16
        let firstOutput = (n * t.outBlocks + firstBlock) * outPlane
        var residual: UnsafePointer<Float>? = nil
        if case .identity(let r) = job.epilogue.residual { residual = r + firstOutput }
        let store = BlockStore(output: job.epilogue.output + firstOutput, blockStride: outPlane, residual: residual,
                               bias: job.bias.map { $0 + 16 * firstBlock }, activation: job.epilogue.activation)
        let base = store
        // The input of `tile` of image `image` at reduction block `first`.
        func tileInput(_ image: Int, _ first: Int, _ tile: Int) -> UnsafePointer<Float> {
            let row = tile / t.tilesPerRow * t.tileRows, x0 = (tile % t.tilesPerRow) * t.width
            return source + image * t.imageFloats(s) + first * t.blockFloats
                + (t.flat ? x0 * e : t.wraps ? t.wrapOffset(s, column: 0, pixels: x0)
                    : (row * stride * t.inputWidth + x0 * stride) * e)
        }
        var args = BlockedTileArgs(
            input: image, inBlocks: t.inputBlocked ? s.inChannels / 16 : 1, inBlockStride: t.blockFloats,
            channels: t.channelsPerBlock(s), channelStride: t.inputBlocked ? 1 : plane, taps: taps,
            tapOffsets: tapOffsets, pixelStride: t.wraps ? 0 : stride * e,
            weights: job.weights + firstBlock * 16 * s.inChannels * taps, weightStride: steps.channel,
            blockWeightStride: steps.block, width: 0,
            rowPixels: t.tileRows > 1 ? s.outWidth : t.width, rowJump: stride * t.inputWidth * e,
            nextInput: image, prefetchInputStep: t.inputPrefetchStep, prefetchWeights: job.weights)
        let inBlocks = args.inBlocks, passBlocks = t.passBlocks(s)
        let passWeights = taps * 16 * steps.channel, weights = args.weights
        let slotFloats = t.groupBlocks * t.width * 16
        // The unit after this one (this thread's likely next), for the last pass's prefetches.
        let next: (batch: Int, group: Int, tiles: Range<Int>)? = unit + 1 < t.units(s) ? t.unit(unit + 1, of: s) : nil
        // A wrapping tiling's calls read each pixel at its own offset: the binding tabulated them
        // after the tap offsets, `width` per column a call may start in.
        let wrapOffsets = t.wraps ? UnsafeRawPointer(tapOffsets + taps) : nil
        for first in Swift.stride(from: 0, to: inBlocks, by: passBlocks) {
            args.inBlocks = min(passBlocks, inBlocks - first)
            args.weights = weights + first * passWeights
            let last = first + args.inBlocks == inBlocks
            // The weights the next call with other weights reads: the next pass's slice, or the
            // next unit's first slice (none when that is this slice again: one pass, one group).
            var nextWeights: (group: Int, first: Int)? = nil
            if !last { nextWeights = (group, first + passBlocks) }
            else if let next, next.group != group || passBlocks < inBlocks { nextWeights = (next.group, 0) }
            let lines = args.inBlocks * taps * args.channels
            // That slice is one run of `lines` lines per block (a call's channel steps: one slice
            // of one block), run `r` at `start + r · runFloats`; the unit's calls share the runs
            // out (`weightPrefetch`).
            var nextRuns: (start: UnsafePointer<Float>, runFloats: Int, runs: Int)? = nil
            if let (g, f) = nextWeights {
                let nextBlocks = min(t.groupBlocks, t.outBlocks - g * t.groupBlocks)
                let slice = job.weights + g * t.groupBlocks * 16 * s.inChannels * taps
                    + f * taps * args.channels * 16 * (t.blockStreams ? 1 : nextBlocks)
                nextRuns = (slice, t.blockStreams ? steps.block : lines * 16, nextBlocks)
            }
            // One pass over a flat plane: runs of full tiles go to one call each.
            let runsTiles = t.flat && !t.wraps && t.tileRows == 1 && passBlocks >= inBlocks
            var index = 0
            while index < tiles.count {
                let tile = tiles.lowerBound + index
                let row = tile / t.tilesPerRow * t.tileRows, x0 = (tile % t.tilesPerRow) * t.width
                args.width = t.tileRows > 1 ? min(t.tileRows, s.outHeight - row) * s.outWidth
                    : min(t.width, rowLength - x0)
                let pixel = t.flat || t.wraps ? x0 : row * s.outWidth + x0
                args.input = tileInput(n, first, tile)
                if let wrapOffsets {
                    args.pixelOffsets = wrapOffsets + x0 % s.outWidth * t.width * MemoryLayout<Int>.stride
                }
                if runsTiles {
                    // Full tiles from here to the end of the unit (or of the plane, whose last
                    // tile may be narrower), and of this call's weight-prefetch run.
                    let runs = nextRuns?.runs ?? 0
                    let full = min(tiles.count - index, (rowLength - x0) / t.width,
                                   callsLeftInPrefetchRun(call: index, calls: tiles.count, runs: runs))
                    (args.tiles, args.tileStep) = full > 1 ? (full, t.width * e) : (1, 0)
                }
                let following = index + args.tiles
                if following < tiles.count { args.nextInput = tileInput(n, first, tiles.lowerBound + following) }
                else if !last { args.nextInput = tileInput(n, first + passBlocks, tiles.lowerBound) }
                else if let next { args.nextInput = tileInput(next.batch, 0, next.tiles.lowerBound) }
                args.prefetchWeightStep = 0
                if let (start, runFloats, runs) = nextRuns,
                   let part = weightPrefetch(call: index, calls: tiles.count, runs: runs, lines: lines) {
                    args.prefetchWeights = start + part.run * runFloats + part.line * 16
                    args.prefetchWeightStep = part.step
                }
                // Passes before the last store raw sums in the tile's scratch slot; each pass
                // after the first adds the slot's sums to its own.
                let slot = scratch + index * slotFloats
                var tileStore = store
                if last {
                    tileStore.output = base.output + 16 * pixel
                    tileStore.residual = base.residual.map { $0 + 16 * pixel }
                } else {
                    tileStore = BlockStore(output: slot, blockStride: t.width * 16, residual: nil, bias: nil,
                                           activation: .identity)
                }
                tileStore.partial = first == 0 ? nil : UnsafePointer(slot)
                tileStore.partialStride = t.width * 16
                blockedTile(blocks, args, tileStore)
                index = following
            }
        }
    }

    /// Pre-pass of a padded blocked conv: copies input planes `units` (one per image and input
    /// block, or per image and channel for NCHW input) into `job.phases` with a zero halo.
    static func padInput(_ job: ConvJob, units: Range<Int>) {
        guard let t = job.blocked, t.pads, let padded = job.phases else { return }
        let s = job.shape
        if t.phased {
            splitPhases(job, t, units: units, into: padded)
            return
        }
        padPlanes(job.input, into: padded, units: units, height: s.inHeight, width: s.inWidth,
                  floatsPerPixel: t.pixelFloats, padding: s.padding, paddedHeight: t.inputHeight,
                  paddedWidth: t.inputWidth)
    }

    /// Pre-pass of a strided blocked conv: each input block (unit = image and block) of the
    /// zero-padded input split into its phase planes, one 16-channel vector per pixel.
    static func splitPhases(_ job: ConvJob, _ t: BlockedTiling, units: Range<Int>, into padded: UnsafeMutablePointer<Float>) {
        let s = job.shape, p = s.padding, stride = s.stride
        for unit in units {
            let from = job.input + unit * s.inHeight * s.inWidth * 16
            let to = padded + unit * t.blockFloats
            for a in 0..<t.phasesPerAxis {
                for b in 0..<t.phasesPerAxis {
                    let phase = to + (a * t.phasesPerAxis + b) * t.inputHeight * t.inputWidth * 16
                    for i in 0..<t.inputHeight {
                        let y = stride * i + a - p
                        let line = phase + i * t.inputWidth * 16
                        guard y >= 0 && y < s.inHeight else {
                            zeroRow(line, t.inputWidth * 16)
                            continue
                        }
                        let source = from + y * s.inWidth * 16
                        for j in 0..<t.inputWidth {
                            let x = stride * j + b - p
                            let pixel = UnsafeMutableRawPointer(line + j * 16)
                            if x >= 0 && x < s.inWidth {
                                pixel.storeBytes(of: UnsafeRawPointer(source + x * 16).loadUnaligned(as: Block.self), as: Block.self)
                            } else {
                                pixel.storeBytes(of: Block(), as: Block.self)
                            }
                        }
                    }
                }
            }
        }
    }
}
