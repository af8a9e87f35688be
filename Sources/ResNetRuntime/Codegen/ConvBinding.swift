// Binds one conv step: its shape, the chooser's algorithm, the register tiling of the chosen
// instruction set, the repacked weights, the tap-offset table and the kernel closures.

import ResNetKernelABI

/// A conv step's kernel decisions, made before scratch is allocated (scratch is sized from them).
struct ConvBinding {
    let shape: ConvShape
    let method: ConvMethod
    let tiling: ConvTiling
    /// `.blocked` only: its cut.
    var blocked: BlockedTiling? = nil
    /// `.winograd` only: its cut.
    var winograd: WinogradTiling? = nil
    /// `.blockedDepthwise` only: its cut.
    var depthwise: BlockedDepthwiseTiling? = nil
    /// A blocked input and an nchw output (`LayoutRules.convMayUnblock`): the blocked kernels
    /// write raw sums plus bias into the step-wide unblock buffer, and a reorder step finishes
    /// them (residual, activation) into the output.
    var unblocks = false
    /// Floats of an option-A residual made blocked for the tile epilogues (`BlockedShortcutAKernel`,
    /// a step of its own before the conv), kept in the pre-pass buffer after what the pre-pass
    /// writes; 0 when the residual is read as it is.
    var shortcutFloats = 0
    /// A 1×1 conv on 1×1 maps, nchw in and out: one matrix-vector product per image, run by the
    /// linear kernel straight from the plan's `[O, I, 1, 1]` weights (`isMatrixVector`).
    var matrixVector = false

    /// Floats of the step-wide unblock buffer this conv needs (its whole output, or 0).
    var unblockFloats: Int { unblocks ? shape.batch * shape.outChannels * shape.pixels : 0 }

    /// Per-worker scratch floats this conv needs (an unblocking conv's reorder also finishes
    /// one 16-channel block in the worker's slot).
    var scratchFloats: Int {
        if matrixVector { return 0 }
        let kernel = winograd?.scratchFloats(shape) ?? blocked?.scratchFloats ?? (depthwise != nil ? 0 : nil)
            ?? ConvJob.scratchFloats(shape: shape, method: method, tiling: tiling)
        return unblocks ? max(kernel, 16 * shape.pixels) : kernel
    }

    /// Floats of the step-wide pre-pass buffer (phases, pointwise tails, the padded input and
    /// Winograd's shared transformed input), shared by all workers.
    var phaseFloats: Int { prepassFloats + shortcutFloats }

    /// Floats the pre-pass itself writes at the start of the pre-pass buffer.
    private var prepassFloats: Int {
        if matrixVector { return 0 }
        return blocked?.paddedFloats(shape) ?? winograd?.prepassFloats(shape) ?? depthwise?.paddedFloats(shape)
            ?? ConvJob.sharedFloats(shape: shape, method: method, tiling: tiling)
    }

    /// Floats of the repacked weights (0 for `.direct`, which reads the plan's layout).
    var packedWeightFloats: Int {
        if let blocked { return blocked.packedWeightFloats(shape) }
        if let winograd { return winograd.packedWeightFloats(shape) }
        if let depthwise { return depthwise.packedWeightFloats(shape) }
        if matrixVector { return 0 }
        return method == .direct ? 0 : shape.groups * tiling.rowBlocks * shape.reduction * tiling.rows
    }

    /// The decisions for `step`, or nil when it is not a convolution.
    static func plan(_ step: Step, isa: KernelISA, options: KernelOptions, threads: Int) -> ConvBinding? {
        guard case .conv2d(let p) = step.op else { return nil }
        let options = options.tuned(by: step.tuning)
        let x = step.inputs[0].shape, y = step.output.shape
        let shape = ConvShape(batch: x[0], inChannels: x[1], inHeight: x[2], inWidth: x[3], outChannels: y[1],
                              outHeight: y[2], outWidth: y[3], kernel: p.kernel, stride: p.stride,
                              padding: p.padding, dilation: p.dilation, groups: p.groups)
        let tile = KernelDispatch.tile(isa)
        let unblocks = step.output.layout == .nchw && step.inputs[0].layout == .nChw16c
        // A blocked output's option-A residual is made blocked first (the validator has checked
        // that its source is blocked too).
        var shortcutFloats = 0
        if step.output.layout == .nChw16c, case .shortcutA = step.epilogue.residual {
            shortcutFloats = step.output.count
        }
        if step.output.layout == .nChw16c, BlockedDepthwiseTiling.applies(to: shape) {
            // Depthwise over a blocked input (the validator has checked it): whole blocks per tap.
            return ConvBinding(shape: shape, method: .blockedDepthwise,
                               tiling: ConvTiling(shape: shape, rows: tile.rows, pixels: tile.pixels),
                               depthwise: BlockedDepthwiseTiling(shape: shape), shortcutFloats: shortcutFloats)
        }
        if step.output.layout == .nChw16c || unblocks {
            // The plan validator has checked what the blocked kernels need (groups 1, C % 16 == 0,
            // an identity residual in the same layout; an output over its own input only for a
            // residual-free 1×1 conv with a blocked input, which runs the in-place variant). An
            // unblocking conv's residual is left to its reorder (`LayoutRules.convMayUnblock`).
            if let tiling = BlockedConvChooser.winogradTiling(shape, inputBlocked: step.inputs[0].layout == .nChw16c,
                                                              isa: isa, schedule: options.schedule, threads: threads) {
                return ConvBinding(shape: shape, method: .winograd,
                                   tiling: ConvTiling(shape: shape, rows: tile.rows, pixels: tile.pixels),
                                   winograd: tiling, unblocks: unblocks, shortcutFloats: shortcutFloats)
            }
            let blocked = BlockedConvChooser.tiling(shape, inputBlocked: step.inputs[0].layout == .nChw16c, isa: isa,
                                                    inPlace: PlanValidator.isPointwisePrefix(step), tuning: options.blocked)
            return ConvBinding(shape: shape, method: .blocked,
                               tiling: ConvTiling(shape: shape, rows: tile.rows, pixels: tile.pixels),
                               blocked: blocked, unblocks: unblocks, shortcutFloats: shortcutFloats)
        }
        if options.convAlgorithm == nil, Self.isMatrixVector(step, shape) {
            return ConvBinding(shape: shape, method: .pointwise,
                               tiling: ConvTiling(shape: shape, rows: tile.rows, pixels: tile.pixels), matrixVector: true)
        }
        if PlanValidator.isPointwisePrefix(step) {
            // The output overwrites the input: each unit must pack a pixel tile's input channels
            // (im2col) before writing any output channel of that tile, so units hold one tile
            // and all of its channel blocks (targetUnits 1 never splits the blocks).
            return ConvBinding(shape: shape, method: .im2col,
                               tiling: ConvTiling(shape: shape, rows: tile.rows, pixels: tile.pixels,
                                                  tilesOuter: true, targetUnits: 1))
        }
        let method = ConvChooser.method(for: shape, forced: options.convAlgorithm)
        // im2col packs one panel per tile, so its units must hold whole tiles (tiles outer).
        let extent = method == .implicit ? PhaseLayout(shape: shape).extent : shape.pixels
        // With tiles outer, packing each tile's B rows (per depth chunk) into an L1 panel paid off
        // for the strided NCHW rows of pointwise convs (ResNet-50 layer1 1×1: −10…−22 % time) and
        // for strided convs' scattered phase rows (−5…−10 %), but cost 5–7 % on stride-1 3×3
        // convs, whose rows the blocks read in place well enough.
        let packs = method == .pointwise || (method == .implicit && shape.stride > 1)
        // A shallow pointwise conv with a fused residual (ResNet-50's 64→256 and 128→512 conv3)
        // is bound by its output and residual traffic: with tiles outer each tile touches 12 new
        // planes per block and the prefetchers cannot follow. Blocks outer walk 12 planes
        // sequentially (−14…−21 % time measured; without a residual it did not pay).
        let streamsOutput = method == .pointwise && shape.reduction <= 128 && step.epilogue.residual != nil
        let outer: Bool? = method == .im2col ? true : (streamsOutput ? false : nil)
        return ConvBinding(shape: shape, method: method,
                           tiling: ConvTiling(shape: shape, rows: tile.rows, pixels: tile.pixels, extent: extent,
                                              tilesOuter: outer, packsPanels: packs))
    }

    /// The bound step, preceded by its pre-pass when it has one (phases; pointwise tails).
    /// GEMM methods read their weights repacked (by `packing`, once per model); the steps keep
    /// the packed memory alive. An unblocking conv computes into `unblocked` under the name
    /// `<name>.blocked` (a pre-pass to profiles); the caller appends the reorder that finishes it.
    func bind(_ step: Step, arena: UnsafeMutablePointer<Float>, weights: UnsafePointer<Float>, isa: KernelISA,
              scratch: ScratchSlots, phases: UnsafeMutablePointer<Float>, unblocked: UnsafeMutablePointer<Float>,
              packing: PackedWeightCache, threads: Int, owners: [AnyObject]) throws(RuntimeError) -> [CompiledStep] {
        guard case .conv2d(let p) = step.op else { preconditionFailure("not a convolution") }
        let raw = weights + step.weights[0].offset
        if matrixVector {
            let job = LinearJob(batch: shape.batch, inFeatures: shape.inChannels, outFeatures: shape.outChannels,
                                input: UnsafePointer(arena + step.inputs[0].offset), weights: raw,
                                bias: p.hasBias ? weights + step.weights[1].offset : nil,
                                epilogue: EpilogueBinding.job(step, arena: arena, channels: 1, pixels: shape.outChannels,
                                                              width: shape.outChannels))
            return [CompiledStep(name: step.name, units: job.units, owned: owners, kernel: kernelLabel,
                                 body: KernelDispatch.linear(job, isa: isa))]
        }
        var owned = owners
        var kernelWeights = raw
        if let winograd {
            let packed = try packing.winograd(raw, weightOffset: step.weights[0].offset, shape: shape, tiling: winograd,
                                              threads: threads)
            owned.append(packed)
            kernelWeights = UnsafePointer(packed.floats)
        } else if depthwise != nil {
            let packed = try packing.depthwise(raw, weightOffset: step.weights[0].offset, shape: shape)
            owned.append(packed)
            kernelWeights = UnsafePointer(packed.floats)
        } else if let blocked {
            let packed = try packing.blocked(raw, weightOffset: step.weights[0].offset, shape: shape, tiling: blocked,
                                             threads: threads)
            owned.append(packed)
            kernelWeights = UnsafePointer(packed.floats)
        } else if method != .direct {
            let packed = try packing.panels(raw, weightOffset: step.weights[0].offset, shape: shape, tiling: tiling,
                                             threads: threads)
            owned.append(packed)
            kernelWeights = UnsafePointer(packed.floats)
        }
        var offsets: UnsafePointer<Int>? = nil
        if method == .implicit || method == .blocked || method == .winograd {
            let table: AlignedBuffer
            if let blocked {
                table = try blockedTapOffsets(blocked)
            } else if method == .winograd {
                table = try AlignedBuffer(byteCount: MemoryLayout<Int>.stride)   // one zero tap offset
            } else {
                table = try tapOffsets()
            }
            owned.append(table)
            offsets = UnsafePointer(table.base.assumingMemoryBound(to: Int.self))
        }
        var epilogue = unblocks
            ? EpilogueJob(output: unblocked, channels: shape.outChannels, pixels: shape.pixels, width: shape.outWidth,
                          activation: .identity, residual: .none)
            : EpilogueBinding.job(step, arena: arena, channels: shape.outChannels, pixels: shape.pixels,
                                  width: shape.outWidth)
        var steps: [CompiledStep] = []
        if shortcutFloats > 0, case .shortcutA(let stride) = step.epilogue.residual, let source = step.inputs.last {
            // The option-A residual, blocked, after what the pre-pass writes; read as an identity one.
            let residual = phases + prepassFloats
            let x = source.shape
            let kernel = BlockedShortcutAKernel(
                batch: x[0], inChannels: x[1], inHeight: x[2], inWidth: x[3], outChannels: shape.outChannels,
                outHeight: shape.outHeight, outWidth: shape.outWidth, stride: stride,
                input: UnsafePointer(arena + source.offset), output: residual)
            let box = UnsafeSendable(kernel)
            steps.append(CompiledStep(name: step.name + ".shortcut", units: kernel.unitCount, owned: owners) { range, _ in
                box.value.run(range)
            })
            epilogue = EpilogueJob(output: epilogue.output, channels: epilogue.channels, pixels: epilogue.pixels,
                                   width: epilogue.width, activation: epilogue.activation,
                                   residual: .identity(UnsafePointer(residual)))
        }
        let job = ConvJob(shape: shape, method: method, tiling: tiling,
                          input: UnsafePointer(arena + step.inputs[0].offset), weights: kernelWeights,
                          bias: p.hasBias ? weights + step.weights[1].offset : nil, epilogue: epilogue,
                          phases: prepassFloats > 0 ? phases : nil, tapOffsets: offsets, blocked: blocked, winograd: winograd,
                          depthwise: depthwise)
        let main = CompiledStep(name: unblocks ? step.name + ".blocked" : step.name, units: job.units, owned: owned,
                                kernel: kernelLabel, body: KernelDispatch.conv(job, isa: isa, scratch: scratch))
        if prepassFloats > 0 {
            steps.append(CompiledStep(name: step.name + ".prepare", units: blocked?.padUnits(shape) ?? winograd?.padUnits(shape) ?? depthwise?.padUnits(shape)
                                          ?? shape.batch * shape.inChannels,
                                      owned: owners, body: KernelDispatch.phases(job, isa: isa)))
        }
        return steps + [main]
    }

    /// The offset of every tap (kh, kw) from a pixel's first float in the (padded) input.
    private func blockedTapOffsets(_ t: BlockedTiling) throws(RuntimeError) -> AlignedBuffer {
        let taps = shape.kernel * shape.kernel
        let table = try AlignedBuffer(byteCount: MemoryLayout<Int>.stride * (taps + t.wrapOffsetCount(shape)))
        let entries = table.base.assumingMemoryBound(to: Int.self)
        for kh in 0..<shape.kernel {
            for kw in 0..<shape.kernel {
                entries[kh * shape.kernel + kw] = t.tapOffset(shape, kh: kh, kw: kw)
            }
        }
        // A wrapping tiling's pixel offsets, per column a call may start in (see `ConvJob.blocked`).
        for column in 0..<(t.wraps ? shape.outWidth : 0) {
            for pixel in 0..<t.width {
                entries[taps + column * t.width + pixel] = t.wrapOffset(shape, column: column, pixels: pixel)
            }
        }
        return table
    }

    /// What runs this conv, for profiles (one word): the algorithm and its register tile.
    var kernelLabel: String {
        if matrixVector { return "gemv" }
        if let winograd {
            // `winograd2s2`: F(2,3) at stride 2.
            let kind = "winograd\(winograd.outputTile)\(winograd.stride == 2 ? "s2" : "")"
            return "\(kind)-\(winograd.groupBlocks)x\(winograd.width)"
        }
        if depthwise != nil { return "depthwise-16c" }
        if let blocked {
            let width = blocked.tileRows > 1 ? "\(blocked.tileRows)x\(blocked.width / blocked.tileRows)" : "\(blocked.width)"
            // `w`: the calls wrap across rows, each pixel at its own input offset.
            return "direct-\(blocked.groupBlocks)x\(width)\(blocked.wraps ? "w" : "")"
        }
        switch method {
        case .pointwise: return "pointwise-gemm"
        case .implicit: return "implicit-gemm"
        case .im2col: return "im2col-gemm"
        case .direct: return "direct-plane"
        case .blocked, .winograd, .blockedDepthwise: return ""
        }
    }

    /// Whether `step` is a 1×1 conv on 1×1 maps that the linear kernel can run: nchw in and out
    /// (a 1×1 map's nchw is `[N, C]`, a linear's rows), not in place (each output reads the whole
    /// input row), and no option-A residual (the linear epilogue sees one row of outputs, not
    /// channels). ResBlock6's last 2048→2048 conv took 1.66 ms as a pointwise GEMM whose pixel
    /// tiles were 1 wide (5 GFLOP/s, 10 GB/s of weights); the linear kernel streams them.
    static func isMatrixVector(_ step: Step, _ shape: ConvShape) -> Bool {
        guard shape.kernel == 1, shape.stride == 1, shape.padding == 0, shape.groups == 1,
              shape.outHeight == 1, shape.outWidth == 1, shape.inHeight == 1, shape.inWidth == 1,
              step.inputs[0].layout == .nchw, step.output.layout == .nchw,
              !PlanValidator.isPointwisePrefix(step) else { return false }
        switch step.epilogue.residual {
        case nil, .identity?: return true
        case .shortcutA?: return false
        }
    }

    /// The phase-buffer offset of every reduction index k = (ic, kh, kw).
    private func tapOffsets() throws(RuntimeError) -> AlignedBuffer {
        let layout = PhaseLayout(shape: shape)
        let table = try AlignedBuffer(byteCount: MemoryLayout<Int>.stride * shape.reduction)
        let entries = table.base.assumingMemoryBound(to: Int.self)
        var k = 0
        for ic in 0..<shape.inPerGroup {
            for kh in 0..<shape.kernel {
                for kw in 0..<shape.kernel {
                    entries[k] = layout.offset(shape, inputChannel: ic, kh: kh, kw: kw)
                    k += 1
                }
            }
        }
        return table
    }
}
