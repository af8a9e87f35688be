// The 64-bit checksum stored in a `.rnc` header, over the bytes from the plan to the weights' end.
//
// Algorithm (little-endian, all arithmetic wrapping mod 2^64):
//   lanes v0..v3 start at seed+P1+P2, seed+P2, seed, seed−P1 (seed = 0).
//   Each full 32-byte block is four 8-byte words w0..w3; lane i becomes
//     vi = rotl(vi ^ (wi · P2), 31) · P1           (multiply-xor-rotate, lanes independent)
//   then h = rotl(v0,1) + rotl(v1,7) + rotl(v2,12) + rotl(v3,18) + byteCount.
//   Remaining whole words w: h = rotl(h ^ rotl(w · P2, 31) · P1, 27) · P1 + P4.
//   Remaining 1–7 bytes b (little-endian packed into t, plus 0x80 above them):
//     h = rotl(h ^ t · P5, 23) · P2 + P3.
//   Final avalanche: h ^= h >> 33; h ·= P2; h ^= h >> 29; h ·= P3; h ^= h >> 32.
// P1..P5 are the well-known odd 64-bit primes below. Not cryptographic: it catches corruption.

/// A fast 64-bit non-cryptographic hash used to detect corrupted model files.
public enum Checksum {
    private static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

    /// The checksum of `bytes` (any length, any alignment).
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        var v0 = p1 &+ p2, v1 = p2, v2: UInt64 = 0, v3 = 0 &- p1
        var position = 0
        if let base = bytes.baseAddress {
            while position + 32 <= count {
                v0 = round(v0, word(base, position))
                v1 = round(v1, word(base, position + 8))
                v2 = round(v2, word(base, position + 16))
                v3 = round(v3, word(base, position + 24))
                position += 32
            }
        }
        var h = rotl(v0, 1) &+ rotl(v1, 7) &+ rotl(v2, 12) &+ rotl(v3, 18) &+ UInt64(count)
        guard let base = bytes.baseAddress else { return avalanche(h) }
        while position + 8 <= count {
            h = rotl(h ^ round(0, word(base, position)), 27) &* p1 &+ p4
            position += 8
        }
        if position < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while position < count {
                tail |= UInt64(base.load(fromByteOffset: position, as: UInt8.self)) << shift
                shift += 8
                position += 1
            }
            tail |= 0x80 << shift
            h = rotl(h ^ (tail &* p5), 23) &* p2 &+ p3
        }
        return avalanche(h)
    }

    /// The checksum of a byte array.
    public static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { hash($0) }
    }

    @inline(__always)
    private static func word(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    private static func round(_ lane: UInt64, _ word: UInt64) -> UInt64 {
        rotl(lane ^ (word &* p2), 31) &* p1
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 {
        (x << r) | (x >> (64 - r))
    }

    private static func avalanche(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h = h &* p2
        h ^= h >> 29
        h = h &* p3
        h ^= h >> 32
        return h
    }
}
