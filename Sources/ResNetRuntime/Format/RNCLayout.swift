// The fixed 64-byte header of a `.rnc` file: field offsets and constants (all little-endian).
//
//   0  magic "RESNETC\0"      8 u32 version      12 u32 header size (64)
//  16  u64 plan offset       24 u64 plan length (bytes of JSON)
//  32  u64 weights offset (multiple of 64)       40 u64 weights length (bytes = 4 × floats)
//  48  u64 checksum of bytes [64, weights end)   56 8 reserved zero bytes

/// Constants of the `.rnc` container.
public enum RNCLayout {
    /// The first eight bytes of every model file.
    public static let magic: [UInt8] = Array("RESNETC".utf8) + [0]
    /// The format version this runtime writes and reads.
    public static let version: UInt32 = 1
    /// Bytes in the header; the plan starts right after it.
    public static let headerSize = 64
    /// Alignment of the weight section, in bytes.
    public static let weightAlignment = 64

    static let versionOffset = 8
    static let headerSizeOffset = 12
    static let planOffsetField = 16
    static let planLengthField = 24
    static let weightsOffsetField = 32
    static let weightsLengthField = 40
    static let checksumField = 48
}

extension Array where Element == UInt8 {
    /// Appends `value` as little-endian bytes.
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        var v = value.littleEndian
        Swift.withUnsafeBytes(of: &v) { append(contentsOf: $0) }
    }

    /// Overwrites `size(T)` bytes at `offset` with `value` in little-endian order.
    mutating func storeLittleEndian<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        var v = value.littleEndian
        Swift.withUnsafeBytes(of: &v) { raw in
            for (i, byte) in raw.enumerated() { self[offset + i] = byte }
        }
    }
}

extension UnsafeRawBufferPointer {
    /// Reads a little-endian integer at `offset` (caller checked the bounds).
    func littleEndian<T: FixedWidthInteger>(at offset: Int, as type: T.Type) -> T {
        T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
