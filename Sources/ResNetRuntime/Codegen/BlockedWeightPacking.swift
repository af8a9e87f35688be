// Repacks conv weights `[O, I, K, K]` once per model for the blocked direct-conv kernels: per
// group of output blocks, either one sequential stream per output block
// (`[block][inBlock][tap][channel][16]`, `BlockedTiling.blockStreams`) or the group's blocks
// side by side (`[inBlock][tap][channel][group blocks · 16]`); both have each pass of a split
// reduction as one contiguous slice of every stream.

import ResNetKernelABI

enum BlockedWeightPacking {
    /// Depthwise `[C, 1, K, K]` weights as `[block][kh][kw][16]` (`BlockedDepthwiseTiling`): each
    /// tap's 16 channels one vector.
    static func depthwise(_ weights: UnsafePointer<Float>, shape s: ConvShape) throws(RuntimeError) -> AlignedBuffer {
        let taps = s.kernel * s.kernel
        let packed = try AlignedBuffer(floats: s.outChannels * taps)
        for channel in 0..<s.outChannels {
            for tap in 0..<taps {
                packed.floats[((channel / 16) * taps + tap) * 16 + channel % 16] = weights[channel * taps + tap]
            }
        }
        return packed
    }

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
                let steps = t.weightSteps(s, blocks: blocks)
                let start = packed.value + firstBlock * 16 * s.inChannels * taps
                for block in 0..<blocks {
                    var step = start + block * steps.block
                    for inBlock in 0..<inBlocks {
                        for tap in 0..<taps {
                            for channel in 0..<perBlock {
                                let ic = inBlock * perBlock + channel
                                // Output channel (firstBlock + block)·16 + lane, input channel ic, this tap.
                                var from = source.value + (((firstBlock + block) * 16) * s.inChannels + ic) * taps + tap
                                for lane in 0..<16 {
                                    step[lane] = from.pointee
                                    from += s.inChannels * taps
                                }
                                step += steps.channel
                            }
                        }
                    }
                }
            }
        }
    }
}
