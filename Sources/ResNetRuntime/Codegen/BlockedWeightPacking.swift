// Repacks conv weights `[O, I, K, K]` once per model for the blocked direct-conv kernels: per
// group of output blocks, `[inBlock][tap][channel][group blocks · 16]`, so a kernel's weight
// stream is one sequential run and each channel step loads the group's 16-channel vectors
// side by side.

import ResNetKernelABI

enum BlockedWeightPacking {
    /// The packed weights of `weights` for `tiling` (groups spread over `threads` workers).
    static func pack(_ weights: UnsafePointer<Float>, shape s: ConvShape, tiling t: BlockedTiling,
                     threads: Int) throws(RuntimeError) -> AlignedBuffer {
        let buffer = try AlignedBuffer(byteCount: 4 * t.packedWeightFloats(s), zeroed: false)
        pack(weights, shape: s, tiling: t, threads: threads, into: buffer.floats)
        return buffer
    }

    /// Packs `weights` into `packed` (`tiling.packedWeightFloats(shape)` floats).
    static func pack(_ weights: UnsafePointer<Float>, shape s: ConvShape, tiling t: BlockedTiling, threads: Int,
                     into destination: UnsafeMutablePointer<Float>) {
        let packed = UnsafeSendable(destination), source = UnsafeSendable(weights)
        let taps = s.kernel * s.kernel, perBlock = t.channelsPerBlock(s)
        let inBlocks = s.inChannels / perBlock
        Parallel.forEach(count: t.groups, threads: threads) { groups in
            for group in groups {
                let firstBlock = group * t.groupBlocks
                let blocks = min(t.groupBlocks, t.outBlocks - firstBlock)
                let lanes = blocks * 16
                var to = packed.value + firstBlock * 16 * s.inChannels * taps
                for inBlock in 0..<inBlocks {
                    for tap in 0..<taps {
                        for channel in 0..<perBlock {
                            let ic = inBlock * perBlock + channel
                            // Output channel firstBlock·16 + lane, input channel ic, this tap.
                            var from = source.value + ((firstBlock * 16) * s.inChannels + ic) * taps + tap
                            for _ in 0..<lanes {
                                to.pointee = from.pointee
                                to += 1
                                from += s.inChannels * taps
                            }
                        }
                    }
                }
            }
        }
    }
}
