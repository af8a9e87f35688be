// Turns a validated plan into closures over raw pointers: every lookup, shape computation, kernel
// choice, weight repacking and scratch allocation happens here, once, so Session.run only calls
// closures.

import ResNetKernelABI

/// Chooses and binds the kernel for each plan step.
enum StepCompiler {
    /// Binds every step of `plan` to `arena` and `weights` for up to `threads` workers. Conv
    /// weights come repacked from `packing` (packed on first use), and per-worker scratch and the shared phase buffer are
    /// allocated here (sized from the plan); running the steps allocates nothing. A plan step may
    /// become several compiled steps (a pre-pass, then the kernel). The plan must have passed
    /// `PlanValidator`.
    static func compile(_ plan: Plan, arena: UnsafeMutablePointer<Float>, weights: UnsafePointer<Float>,
                        packing: PackedWeightCache, threads: Int,
                        options: KernelOptions) throws(RuntimeError) -> [CompiledStep] {
        let isa = options.resolvedISA
        let convs = plan.steps.map { ConvBinding.plan($0, isa: isa, options: options, threads: threads) }
        let slotFloats = scratchSlotFloats(convs.compactMap { $0 })
        let (bytes, overflow) = slotFloats.multipliedReportingOverflow(by: 4 * max(threads, 1))
        guard !overflow else { throw .outOfMemory(bytes: Int.max) }
        let scratch = try AlignedBuffer(byteCount: bytes)
        let slots = ScratchSlots(base: scratch.floats, slotFloats: slotFloats)
        let phaseFloats = convs.compactMap { $0?.phaseFloats }.max() ?? 0
        guard phaseFloats <= Int.max / 4 else { throw .outOfMemory(bytes: Int.max) }
        let phases = try AlignedBuffer(byteCount: 4 * phaseFloats)
        let unblockFloats = convs.compactMap { $0?.unblockFloats }.max() ?? 0
        guard unblockFloats <= Int.max / 4 else { throw .outOfMemory(bytes: Int.max) }
        let unblocked = try AlignedBuffer(byteCount: 4 * unblockFloats, zeroed: false)
        var compiled: [CompiledStep] = []
        compiled.reserveCapacity(plan.steps.count)
        for (step, conv) in zip(plan.steps, convs) {
            if let conv {
                compiled += try conv.bind(step, arena: arena, weights: weights, isa: isa, scratch: slots,
                                          phases: phases.floats, unblocked: unblocked.floats, packing: packing,
                                          threads: threads, owners: [scratch, phases, unblocked])
                if conv.unblocks {
                    compiled.append(unblock(step, from: unblocked, arena: arena, scratch: slots,
                                            owners: [scratch, unblocked], label: conv.kernelLabel + ">nchw"))
                }
            } else {
                compiled.append(compile(step, arena: arena, weights: weights, isa: isa))
            }
        }
        return compiled
    }

    /// The reorder that finishes an unblocking conv (ConvBinding.unblocks): its blocked sums in
    /// `buffer` to the nchw output, with the step's residual and activation, each block through
    /// the worker's scratch slot.
    private static func unblock(_ step: Step, from buffer: AlignedBuffer, arena: UnsafeMutablePointer<Float>,
                                scratch: ScratchSlots, owners: [AnyObject], label: String) -> CompiledStep {
        let y = step.output.shape
        let kernel = ReorderKernel(batch: y[0], channels: y[1], pixels: y[2] * y[3], fromBlocked: true,
                                   input: UnsafePointer(buffer.floats), output: arena + step.output.offset,
                                   epilogue: epilogueKernel(step, arena: arena), slots: scratch)
        let box = UnsafeSendable(kernel)
        return CompiledStep(name: step.name, units: kernel.unitCount, owned: owners, kernel: label) { range, worker in
            box.value.run(range, worker: worker)
        }
    }

    /// Floats of one worker's scratch slot: the largest conv need, rounded to 64 bytes.
    static func scratchSlotFloats(_ convs: [ConvBinding]) -> Int {
        ((convs.map(\.scratchFloats).max() ?? 0) + 15) / 16 * 16
    }

    /// Binds a non-convolution step.
    private static func compile(_ step: Step, arena: UnsafeMutablePointer<Float>, weights: UnsafePointer<Float>,
                                isa: KernelISA) -> CompiledStep {
        let out = arena + step.output.offset
        let shape = step.output.shape
        let input = { (i: Int) -> UnsafePointer<Float> in UnsafePointer(arena + step.inputs[i].offset) }
        let weight = { (i: Int) -> UnsafePointer<Float> in weights + step.weights[i].offset }
        let epilogue = epilogueKernel(step, arena: arena)
        switch step.op {
        case .conv2d:
            preconditionFailure("convolutions are bound by ConvBinding")
        case .linear(let hasBias):
            let job = LinearJob(
                batch: shape[0], inFeatures: step.inputs[0].shape[1], outFeatures: shape[1], input: input(0),
                weights: weight(0), bias: hasBias ? weight(1) : nil,
                epilogue: EpilogueBinding.job(step, arena: arena, channels: 1, pixels: shape[1], width: shape[1]))
            return CompiledStep(name: step.name, units: job.units, body: KernelDispatch.linear(job, isa: isa))
        case .scaleShift:
            return elementwise(step, .scaleShift(input(0), scale: weight(0), shift: weight(1)), out, epilogue)
        case .copy where step.inputs[0].layout != step.output.layout:
            // A copy between layouts reorders (where a blocked value meets NCHW).
            let x = step.inputs[0].shape
            let kernel = ReorderKernel(batch: x[0], channels: x[1], pixels: x[2] * x[3],
                                       fromBlocked: step.inputs[0].layout == .nChw16c, input: input(0), output: out,
                                       epilogue: epilogue)
            let box = UnsafeSendable(kernel)
            return CompiledStep(name: step.name, units: kernel.unitCount) { range, worker in box.value.run(range, worker: worker) }
        // Add, activation and copy otherwise have every operand in one layout, so
        // position-for-position row loops (and identity residuals) serve NCHW and nChw16c alike.
        case .activation, .copy:
            return elementwise(step, .copy(input(0)), out, epilogue)
        case .add:
            return elementwise(step, .add(input(0), input(1)), out, epilogue)
        case .maxPool(let p) where step.inputs[0].layout == .nChw16c:
            let job = BlockedMaxPoolJob(geometry: poolGeometry(step, p, channelBlock: 16), input: input(0), output: out)
            return CompiledStep(name: step.name, units: job.units,
                                body: KernelDispatch.blockedMaxPool(job, epilogue: epilogue, isa: isa))
        case .maxPool(let p):
            let kernel = MaxPoolKernel(geometry: poolGeometry(step, p), input: input(0), output: out,
                                       epilogue: epilogue)
            return wrap(step, kernel.unitCount, kernel, MaxPoolKernel.run)
        case .avgPool(let p):
            let kernel = AvgPoolKernel(geometry: poolGeometry(step, p), countIncludePad: p.countIncludePad,
                                       input: input(0), output: out, epilogue: epilogue)
            return wrap(step, kernel.unitCount, kernel, AvgPoolKernel.run)
        case .globalAvgPool where step.inputs[0].layout == .nChw16c:
            let x = step.inputs[0].shape
            let kernel = BlockedGlobalAvgPoolKernel(planes: x[0] * x[1] / 16, planeSize: x[2...].reduce(1, *),
                                                    input: input(0), output: out, epilogue: epilogue)
            return wrap(step, kernel.unitCount, kernel, BlockedGlobalAvgPoolKernel.run)
        case .globalAvgPool:
            let x = step.inputs[0].shape
            let kernel = GlobalAvgPoolKernel(planes: x[0] * x[1], planeSize: x[2...].reduce(1, *),
                                             input: input(0), output: out, epilogue: epilogue)
            return wrap(step, kernel.unitCount, kernel, GlobalAvgPoolKernel.run)
        case .softmax:
            let rowLength = shape[shape.count - 1]
            let kernel = SoftmaxKernel(rows: step.output.count / rowLength, rowLength: rowLength,
                                       input: input(0), output: out, activation: step.epilogue.activation)
            return wrap(step, kernel.unitCount, kernel, SoftmaxKernel.run)
        case .shortcutA(let stride):
            let x = step.inputs[0].shape
            let kernel = ShortcutAKernel(
                batch: x[0], inChannels: x[1], inHeight: x[2], inWidth: x[3], outChannels: shape[1],
                outHeight: shape[2], outWidth: shape[3], stride: stride, input: input(0), output: out,
                epilogue: epilogue)
            return wrap(step, kernel.unitCount, kernel, ShortcutAKernel.run)
        }
    }

    /// Packages a kernel and its `run` method as a sendable closure.
    private static func wrap<Kernel>(_ step: Step, _ units: Int, _ kernel: Kernel,
                                     _ run: @escaping (Kernel) -> (Range<Int>) -> Void) -> CompiledStep {
        let box = UnsafeSendable((kernel, run))
        return CompiledStep(name: step.name, units: units) { range, _ in box.value.1(box.value.0)(range) }
    }

    private static func elementwise(_ step: Step, _ operation: ElementwiseOperation,
                                    _ out: UnsafeMutablePointer<Float>,
                                    _ epilogue: EpilogueKernel) -> CompiledStep {
        let kernel = ElementwiseKernel(layout: RowLayout(shape: step.output.shape, layout: step.output.layout),
                                       operation: operation, output: out, epilogue: epilogue)
        return wrap(step, kernel.unitCount, kernel, ElementwiseKernel.run)
    }

    /// Window geometry of a pool step; `planes` counts blocks of `channelBlock` channels.
    private static func poolGeometry(_ step: Step, _ p: PoolParams, channelBlock: Int = 1) -> PoolGeometry {
        let x = step.inputs[0].shape, y = step.output.shape
        return PoolGeometry(planes: x[0] * x[1] / channelBlock, inHeight: x[2], inWidth: x[3], outHeight: y[2],
                            outWidth: y[3], kernel: p.kernel, stride: p.stride, padding: p.padding)
    }

    /// Resolves the step's epilogue: the residual is its last input.
    private static func epilogueKernel(_ step: Step, arena: UnsafeMutablePointer<Float>) -> EpilogueKernel {
        let shape = step.output.shape
        let channels = shape.count >= 2 ? shape[1] : 1
        let height = shape.count >= 4 ? shape[2] : 1
        let width = shape.count >= 4 ? shape[3] : 1
        var source = ShortcutSource.none
        if let residual = step.epilogue.residual, let last = step.inputs.last {
            let pointer = UnsafePointer(arena + last.offset)
            switch residual {
            case .identity:
                source = .identity(pointer)
            case .shortcutA(let stride):
                // Option A indexes NCHW planes; blocked steps only ever get identity residuals.
                precondition(step.output.layout == .nchw, "option-A residual on a blocked output")
                source = .subsampled(pointer, stride: stride, channels: last.shape[1],
                                     height: last.shape[2], width: last.shape[3],
                                     channelPad: (channels - last.shape[1]) / 2)
            }
        }
        return EpilogueKernel(activation: step.epilogue.activation, shortcut: source,
                              channels: channels, height: height, width: width)
    }
}
