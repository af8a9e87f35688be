// Binds a conv or linear job to the kernel module compiled for the chosen instruction set. The
// switch runs once per step at bind time; the returned closure calls straight into the module.

import ResNetKernelABI
import ResNetKernelsAVX2
import ResNetKernelsAVX512
import ResNetKernelsPortable

/// Per-thread scratch: one slot of `slotFloats` floats per worker.
struct ScratchSlots: @unchecked Sendable {
    // @unchecked: worker i only ever touches slot i, and a Session runs one step at a time.
    let base: UnsafeMutablePointer<Float>
    let slotFloats: Int
    /// Worker `worker`'s slot.
    @inline(__always) func slot(_ worker: Int) -> UnsafeMutablePointer<Float> { base + worker * slotFloats }
}

enum KernelDispatch {
    /// The register tile `isa`'s micro-kernel computes (rows × pixels).
    static func tile(_ isa: KernelISA) -> (rows: Int, pixels: Int) {
        switch isa {
        case .avx512: return (ResNetKernelsAVX512.KernelTile.rows, ResNetKernelsAVX512.KernelTile.pixels)
        case .avx2: return (ResNetKernelsAVX2.KernelTile.rows, ResNetKernelsAVX2.KernelTile.pixels)
        case .portable: return (ResNetKernelsPortable.KernelTile.rows, ResNetKernelsPortable.KernelTile.pixels)
        }
    }

    /// A closure running units of `job` with `isa`'s kernels and the worker's scratch slot.
    static func conv(_ job: ConvJob, isa: KernelISA, scratch: ScratchSlots) -> @Sendable (Range<Int>, Int) -> Void {
        let box = UnsafeSendable(job)
        switch isa {
        case .avx512:
            return { units, worker in ResNetKernelsAVX512.ConvKernels.run(box.value, units: units, scratch: scratch.slot(worker)) }
        case .avx2:
            return { units, worker in ResNetKernelsAVX2.ConvKernels.run(box.value, units: units, scratch: scratch.slot(worker)) }
        case .portable:
            return { units, worker in ResNetKernelsPortable.ConvKernels.run(box.value, units: units, scratch: scratch.slot(worker)) }
        }
    }

    /// A closure running a conv's pre-pass (unit = one input channel plane).
    static func phases(_ job: ConvJob, isa: KernelISA) -> @Sendable (Range<Int>, Int) -> Void {
        let box = UnsafeSendable(job)
        switch isa {
        case .avx512: return { units, _ in ResNetKernelsAVX512.ConvKernels.prepare(box.value, units: units) }
        case .avx2: return { units, _ in ResNetKernelsAVX2.ConvKernels.prepare(box.value, units: units) }
        case .portable: return { units, _ in ResNetKernelsPortable.ConvKernels.prepare(box.value, units: units) }
        }
    }

    /// A closure running units of `job` with `isa`'s kernels.
    static func linear(_ job: LinearJob, isa: KernelISA) -> @Sendable (Range<Int>, Int) -> Void {
        let box = UnsafeSendable(job)
        switch isa {
        case .avx512: return { units, _ in ResNetKernelsAVX512.LinearKernels.run(box.value, units: units) }
        case .avx2: return { units, _ in ResNetKernelsAVX2.LinearKernels.run(box.value, units: units) }
        case .portable: return { units, _ in ResNetKernelsPortable.LinearKernels.run(box.value, units: units) }
        }
    }

    /// A closure running output rows of the nChw16c max pool `job` with `isa`'s kernels, then
    /// `epilogue` over the rows it finished.
    static func blockedMaxPool(_ job: BlockedMaxPoolJob, epilogue: EpilogueKernel,
                               isa: KernelISA) -> @Sendable (Range<Int>, Int) -> Void {
        let box = UnsafeSendable((job, epilogue))
        let rows: @Sendable (Range<Int>) -> Void
        switch isa {
        case .avx512: rows = { ResNetKernelsAVX512.PoolKernels.blockedMaxPool(box.value.0, units: $0) }
        case .avx2: rows = { ResNetKernelsAVX2.PoolKernels.blockedMaxPool(box.value.0, units: $0) }
        case .portable: rows = { ResNetKernelsPortable.PoolKernels.blockedMaxPool(box.value.0, units: $0) }
        }
        return { units, _ in
            rows(units)
            let (job, epilogue) = box.value
            if !epilogue.isIdentity { epilogue.finish(job.output, elements: job.outputFloats(of: units)) }
        }
    }
}
