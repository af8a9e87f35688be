// The conv weights of one Model repacked into micro-kernel panels, once per panel shape, and
// shared by every Session of the model (sessions on many threads cost the packed weights once).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ResNetKernelABI

/// Packed panels keyed by the weights they come from and the panel geometry; filled on first use
/// under a lock, read-only afterwards.
final class PackedWeightCache: @unchecked Sendable {
    // @unchecked: `entries` is only touched with `lock` held; the buffers it hands out are never
    // written after packing, so sessions on any thread may read them concurrently.

    /// What determines a packed buffer's contents.
    private struct Key: Hashable {
        let weightOffset: Int, groups: Int, outPerGroup: Int, reduction: Int, rows: Int
        /// Blocked packing: output blocks per group and input channels per block (0 = GEMM panels).
        var groupBlocks = 0, channelsPerBlock = 0
        /// Blocked packing with one weight stream per output block.
        var blockStreams = false
        /// The Winograd output tile and stride the weights are transformed for (0: not transformed).
        var winogradTile = 0, winogradStride = 0
        /// Depthwise packing, one vector per tap and block.
        var depthwise = false
    }

    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private var entries: [Key: AlignedBuffer] = [:]

    init() {
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_mutex_t())
        pthread_mutex_init(lock, nil)
    }

    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    /// The panels of the weights at `weightOffset` (`weights` points at them) for `shape` and
    /// `tiling`, packing them (on `threads` workers) if no session of this model has yet.
    func panels(_ weights: UnsafePointer<Float>, weightOffset: Int, shape: ConvShape, tiling: ConvTiling,
                threads: Int) throws(RuntimeError) -> AlignedBuffer {
        try cached(Key(weightOffset: weightOffset, groups: shape.groups, outPerGroup: shape.outPerGroup,
                       reduction: shape.reduction, rows: tiling.rows)) { () throws(RuntimeError) in
            try WeightPacking.panels(weights, shape: shape, tiling: tiling, threads: threads)
        }
    }

    /// The blocked direct-conv packing of the weights at `weightOffset` for `shape` and `tiling`,
    /// packed on first use like `panels`.
    func blocked(_ weights: UnsafePointer<Float>, weightOffset: Int, shape: ConvShape, tiling: BlockedTiling,
                 threads: Int) throws(RuntimeError) -> AlignedBuffer {
        try cached(Key(weightOffset: weightOffset, groups: shape.groups, outPerGroup: shape.outPerGroup,
                       reduction: shape.reduction, rows: 0, groupBlocks: tiling.groupBlocks,
                       channelsPerBlock: tiling.channelsPerBlock(shape), blockStreams: tiling.blockStreams)) { () throws(RuntimeError) in
            try BlockedWeightPacking.pack(weights, shape: shape, tiling: tiling, threads: threads)
        }
    }

    /// The Winograd-transformed, blocked-packed weights at `weightOffset`, like `panels`.
    func winograd(_ weights: UnsafePointer<Float>, weightOffset: Int, shape: ConvShape, tiling: WinogradTiling,
                  threads: Int) throws(RuntimeError) -> AlignedBuffer {
        try cached(Key(weightOffset: weightOffset, groups: shape.groups, outPerGroup: shape.outPerGroup,
                       reduction: shape.reduction, rows: 0, groupBlocks: tiling.groupBlocks, channelsPerBlock: 16,
                       winogradTile: tiling.outputTile, winogradStride: tiling.stride)) { () throws(RuntimeError) in
            try WinogradWeightPacking.pack(weights, shape: shape, tiling: tiling, threads: threads)
        }
    }

    /// The blocked depthwise packing of the weights at `weightOffset`, like `panels`.
    func depthwise(_ weights: UnsafePointer<Float>, weightOffset: Int, shape: ConvShape) throws(RuntimeError) -> AlignedBuffer {
        try cached(Key(weightOffset: weightOffset, groups: shape.groups, outPerGroup: shape.outPerGroup,
                       reduction: shape.reduction, rows: 0, depthwise: true)) { () throws(RuntimeError) in
            try BlockedWeightPacking.depthwise(weights, shape: shape)
        }
    }

    /// The buffer for `key`, made by `pack` (under the lock) the first time it is asked for.
    private func cached(_ key: Key, _ pack: () throws(RuntimeError) -> AlignedBuffer) throws(RuntimeError) -> AlignedBuffer {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        if let packed = entries[key] { return packed }
        let packed = try pack()
        entries[key] = packed
        return packed
    }

    /// Bytes of every packed buffer so far.
    var byteCount: Int {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return entries.values.reduce(0) { $0 + $1.byteCount }
    }
}
