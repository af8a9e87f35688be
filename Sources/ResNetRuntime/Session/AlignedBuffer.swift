// A zeroed, 64-byte-aligned heap block whose allocation failure is an error, not a trap.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns a 64-byte-aligned, zero-initialized byte block, freed on deinit.
final class AlignedBuffer {
    /// Start of the block (valid even for zero bytes).
    let base: UnsafeMutableRawPointer
    /// Usable bytes.
    let byteCount: Int

    /// Allocates `byteCount` zeroed bytes aligned to 64, throwing `.outOfMemory` on failure.
    init(byteCount: Int) throws(RuntimeError) {
        var pointer: UnsafeMutableRawPointer?
        let size = max(byteCount, 64)
        guard posix_memalign(&pointer, 64, size) == 0, let pointer else {
            throw .outOfMemory(bytes: byteCount)
        }
        memset(pointer, 0, size)
        base = pointer
        self.byteCount = byteCount
    }

    deinit { free(base) }

    /// The block as floats.
    var floats: UnsafeMutablePointer<Float> { base.assumingMemoryBound(to: Float.self) }
}
