// Binds one conv step: its shape, the chooser's algorithm, the register tiling of the chosen
// instruction set, the repacked weights and the kernel closure.

import ResNetKernelABI

/// A conv step's kernel decisions, made before scratch is allocated (scratch is sized from them).
struct ConvBinding {
    let shape: ConvShape
    let method: ConvMethod
    let tiling: ConvTiling

    /// Per-worker scratch floats this conv needs.
    var scratchFloats: Int { ConvJob.scratchFloats(shape: shape, method: method, tiling: tiling) }

    /// The decisions for `step`, or nil when it is not a convolution.
    static func plan(_ step: Step, isa: KernelISA, forced: ConvAlgorithm?) -> ConvBinding? {
        guard case .conv2d(let p) = step.op else { return nil }
        let x = step.inputs[0].shape, y = step.output.shape
        let shape = ConvShape(batch: x[0], inChannels: x[1], inHeight: x[2], inWidth: x[3], outChannels: y[1],
                              outHeight: y[2], outWidth: y[3], kernel: p.kernel, stride: p.stride,
                              padding: p.padding, dilation: p.dilation, groups: p.groups)
        let tile = KernelDispatch.tile(isa)
        return ConvBinding(shape: shape, method: ConvChooser.method(for: shape, forced: forced),
                           tiling: ConvTiling(shape: shape, rows: tile.rows, pixels: tile.pixels))
    }

    /// The bound step: GEMM methods get their weights repacked now (kept alive by the step).
    func bind(_ step: Step, arena: UnsafeMutablePointer<Float>, weights: UnsafePointer<Float>, isa: KernelISA,
              scratch: ScratchSlots, scratchOwner: AnyObject) throws(RuntimeError) -> CompiledStep {
        guard case .conv2d(let p) = step.op else { preconditionFailure("not a convolution") }
        let raw = weights + step.weights[0].offset
        var owned: [AnyObject] = [scratchOwner]
        var kernelWeights = raw
        if method != .direct {
            let packed = try WeightPacking.panels(raw, shape: shape, tiling: tiling)
            owned.append(packed)
            kernelWeights = UnsafePointer(packed.floats)
        }
        let epilogue = EpilogueBinding.job(step, arena: arena, channels: shape.outChannels, pixels: shape.pixels,
                                           width: shape.outWidth)
        let job = ConvJob(shape: shape, method: method, tiling: tiling,
                          input: UnsafePointer(arena + step.inputs[0].offset), weights: kernelWeights,
                          bias: p.hasBias ? weights + step.weights[1].offset : nil, epilogue: epilogue)
        return CompiledStep(name: step.name, units: job.units, owned: owned,
                            body: KernelDispatch.conv(job, isa: isa, scratch: scratch))
    }
}
