// A 64-byte-aligned heap block (zeroed unless its owner fills every byte) whose allocation
// failure is an error, not a trap.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns a 64-byte-aligned byte block (zero-initialized by default), freed on deinit.
final class AlignedBuffer {
    /// Start of the block (valid even for zero bytes).
    let base: UnsafeMutableRawPointer
    /// Usable bytes.
    let byteCount: Int

    /// Allocates `byteCount` bytes aligned to 64, throwing `.outOfMemory` on failure; zeroed
    /// unless `zeroed` is false (for an owner that writes every byte before reading any).
    init(byteCount: Int, zeroed: Bool = true) throws(RuntimeError) {
        var pointer: UnsafeMutableRawPointer?
        let size = max(byteCount, 64)
        guard posix_memalign(&pointer, 64, size) == 0, let pointer else {
            throw .outOfMemory(bytes: byteCount)
        }
        if zeroed { memset(pointer, 0, size) }
        base = pointer
        self.byteCount = byteCount
    }

    deinit { free(base) }

    /// The block as floats.
    var floats: UnsafeMutablePointer<Float> { base.assumingMemoryBound(to: Float.self) }
}
