// The cache-blocking thresholds of the blocked direct convolution: when a conv's reduction is
// split into passes, when its units go pixels-first, and whether each output block's weights
// are their own stream. Defaults measured on ResNet-50 (Docs/Performance.md); tests set them to
// reach every loop order on small shapes.

#if canImport(Glibc)
import Glibc
#endif

/// How `BlockedConvChooser` cuts a blocked direct conv's loops around its register tiles.
public struct BlockedConvTuning: Hashable, Sendable {
    /// Split the reduction when a block group's weights exceed this many bytes (they would be
    /// re-read from L2 or memory by every tile of a unit)…
    public var splitAboveBytes: Int
    /// …into passes whose weight slice is at most this many bytes (at least one input block),
    /// kept in L1 while every tile of the unit uses it.
    public var splitSliceBytes: Int
    /// `splitAboveBytes` for strided convs wider than one pixel (the 3×3 stride-2 convs): a pass
    /// re-loads and re-stores every output tile, and their short rows make that cost more than
    /// re-reading the group's weights from L2. On AVX2 (Zen 3) one pass up to 144 KiB took
    /// ResNet-50's layer2.0.conv2 and layer3.0.conv2 0.95× the time on 1 thread (per-step
    /// minimums), and `resnetc tune` timed them at 0.87-0.92× on 2; layer4.0.conv2 (288 KiB)
    /// stays split…
    public var stridedSplitAboveBytes: Int
    /// …into slices of this many bytes: layer4.0.conv2 (7-pixel rows) took 2.77 ms in 64 KiB
    /// slices against 2.99 in 16 KiB ones (AVX2, Zen 3, `resnetc tune`).
    public var stridedSliceBytes: Int
    /// Order units pixels-first when all the weights fit in this many bytes (they stay in L2)…
    /// By default half this machine's L2, at most 512 KiB (the Xeon's 1 MiB L2: measured there);
    /// a unit order never changes a sum, so results do not depend on it. On Zen 3 (512 KiB L2)
    /// layer2.0.downsample.0's 512 KiB of weights ran pixels-first at 2.98 ms, group-first at
    /// 2.70 (a one-conv net; 0.93× in ResNet-50 on 1 thread, 0.82× on 2).
    public var pixelMajorWeightBytes: Int
    /// …and an image's input is at least this many bytes (it would be re-read from L3 per group)…
    public var pixelMajorInputBytes: Int
    /// …in chunks of tiles whose input rows take about this many bytes: with the weights (at most
    /// half the L2) they stay in L2, and a unit's tiles run as longer runs of calls. On Zen 3
    /// (AVX2), ResNet-50's pixels-first 1×1 convs (layer1 and layer2) took 0.94–0.98× the time
    /// in 128 KiB chunks against 32 KiB, on 1 and on 2 threads (256 KiB: the same, 512: slower).
    public var pixelChunkBytes: Int
    /// Pack each output block's weights as a stream of its own (see `BlockedTiling.blockStreams`).
    public var blockStreams: Bool

    /// The production thresholds, or the given ones.
    public init(splitAboveBytes: Int = 64 << 10, stridedSplitAboveBytes: Int = 256 << 10,
                splitSliceBytes: Int = 16 << 10, stridedSliceBytes: Int = 64 << 10,
                pixelMajorWeightBytes: Int = BlockedConvTuning.pixelMajorDefault, pixelMajorInputBytes: Int = 256 << 10,
                pixelChunkBytes: Int = 128 << 10, blockStreams: Bool = true) {
        self.splitAboveBytes = splitAboveBytes
        self.stridedSplitAboveBytes = stridedSplitAboveBytes
        self.stridedSliceBytes = stridedSliceBytes
        self.splitSliceBytes = splitSliceBytes
        self.pixelMajorWeightBytes = pixelMajorWeightBytes
        self.pixelMajorInputBytes = pixelMajorInputBytes
        self.pixelChunkBytes = pixelChunkBytes
        self.blockStreams = blockStreams
    }

    /// Half the L2 cache of this machine (as the C library reports it), in 64 KiB to 512 KiB; 512
    /// KiB where unknown.
    public static let pixelMajorDefault: Int = {
        #if canImport(Glibc)
        let l2 = sysconf(Int32(_SC_LEVEL2_CACHE_SIZE))
        if l2 > 0 { return min(512 << 10, max(64 << 10, l2 / 2)) }
        #endif
        return 512 << 10
    }()

    /// One pass over all input channels and group-first units, the weights of a group side by
    /// side: the loop order before these thresholds existed.
    public static let plain = BlockedConvTuning(splitAboveBytes: .max, stridedSplitAboveBytes: .max,
                                                pixelMajorWeightBytes: 0, blockStreams: false)

    /// Every conv split above `bytes` of group weights into slices of `slice` bytes, strided or not.
    public static func split(above bytes: Int, slice: Int) -> BlockedConvTuning {
        BlockedConvTuning(splitAboveBytes: bytes, stridedSplitAboveBytes: bytes, splitSliceBytes: slice,
                          stridedSliceBytes: slice)
    }
}
