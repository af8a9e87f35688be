// Canonical Huffman codes of deflate (RFC 1951 §3.2.2) as one lookup table indexed by the
// next bits of the stream, so decoding a symbol is one peek and one drop.

/// A decoding table for one canonical Huffman code.
struct HuffmanTable {
    /// Indexed by the next `bits` stream bits: symbol << 4 | code length; 0 = no such code.
    private var entries: [UInt16]
    /// The longest code length (table index width).
    private var bits: Int

    /// Builds the table from each symbol's code length (0 = unused). Throws when the lengths
    /// are over-subscribed (more codes than a prefix code can have).
    init(lengths: [Int]) throws(InflateError) {
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths {
            guard length >= 0 && length <= 15 else { throw InflateError("invalid Huffman code length \(length)") }
            counts[length] += 1
        }
        var left = 1
        for length in 1...15 {
            left = left * 2 - counts[length]
            if left < 0 { throw InflateError("invalid Huffman code lengths (over-subscribed)") }
        }
        let longest = (1...15).last { counts[$0] > 0 } ?? 1
        var nextCode = [Int](repeating: 0, count: 16)
        // The first code of each length is (first of the previous length + its count) << 1.
        var code = 0
        for length in 1...15 {
            nextCode[length] = code
            code = (code + counts[length]) << 1
        }
        var entries = [UInt16](repeating: 0, count: 1 << longest)
        for (symbol, length) in lengths.enumerated() where length > 0 {
            let canonical = nextCode[length]
            nextCode[length] += 1
            var reversed = 0
            for bit in 0..<length where canonical & (1 << (length - 1 - bit)) != 0 { reversed |= 1 << bit }
            let entry = UInt16(symbol << 4 | length)
            var index = reversed
            while index < entries.count {
                entries[index] = entry
                index += 1 << length
            }
        }
        self.entries = entries
        self.bits = longest
    }

    /// Decodes the next symbol.
    func decode(_ reader: inout BitReader) throws(InflateError) -> Int {
        let entry = Int(entries[reader.peek(bits)])
        guard entry != 0 else { throw InflateError("invalid Huffman code") }
        try reader.drop(entry & 15)
        return entry >> 4
    }
}
