// Reads a deflate stream's bits, least significant first, and reports running off the end
// instead of reading past it (release builds of the runtime drop bounds checks).

/// Why a deflate or zlib stream cannot be decompressed.
public struct InflateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, e.g. `invalid block type 3`.
    public var reason: String
    /// Makes an error.
    public init(_ reason: String) { self.reason = reason }
    /// The reason.
    public var description: String { reason }
}

/// A little-endian bit cursor over bytes. Past the end it supplies zeros, and any consume
/// that used them throws "truncated".
struct BitReader {
    let bytes: [UInt8]
    /// Next byte to load into `buffer`.
    private var next: Int
    private var buffer: UInt64 = 0
    private var buffered = 0
    /// Bits consumed from the start of `bytes`.
    private(set) var consumed: Int

    init(_ bytes: [UInt8], startByte: Int) {
        self.bytes = bytes
        self.next = startByte
        self.consumed = startByte * 8
    }

    private mutating func refill() {
        while buffered <= 56 {
            if next < bytes.count { buffer |= UInt64(bytes[next]) << UInt64(buffered) }
            next += 1
            buffered += 8
        }
    }

    /// The next `n` (≤ 32) bits without consuming them.
    mutating func peek(_ n: Int) -> Int {
        if buffered < n { refill() }
        return Int(buffer & ((1 << UInt64(n)) - 1))
    }

    /// Consumes `n` bits that `peek` loaded.
    mutating func drop(_ n: Int) throws(InflateError) {
        buffer >>= UInt64(n)
        buffered -= n
        consumed += n
        if consumed > bytes.count * 8 { throw InflateError("truncated: the compressed data ends early") }
    }

    /// Reads an `n`-bit (≤ 32) little-endian number.
    mutating func bits(_ n: Int) throws(InflateError) -> Int {
        let value = peek(n)
        try drop(n)
        return value
    }

    /// Skips to the next byte boundary and returns that byte's index; the buffer is emptied
    /// so bytes can then be read directly.
    mutating func alignToByte() throws(InflateError) -> Int {
        let skip = (8 - consumed % 8) % 8
        if skip > 0 { _ = try bits(skip) }
        buffer = 0
        buffered = 0
        next = consumed / 8
        return next
    }

    /// Continues after `count` bytes read directly from `alignToByte()`'s position.
    mutating func skipBytes(_ count: Int) throws(InflateError) {
        next += count
        consumed += count * 8
        if consumed > bytes.count * 8 { throw InflateError("truncated: the compressed data ends early") }
    }
}
