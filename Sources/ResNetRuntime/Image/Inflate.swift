// Deflate (RFC 1951) and zlib (RFC 1950) decompression: stored, fixed-Huffman and
// dynamic-Huffman blocks, with the output bounded by the caller so no stream can make it grow
// past what the image needs.

/// Decompresses zlib and raw deflate streams.
public enum Inflate {
    /// Decompresses a zlib stream (2-byte header, deflate data, Adler-32), producing at most
    /// `maxOutput` bytes; more is an error, as are a bad header or checksum.
    public static func zlib(_ bytes: [UInt8], maxOutput: Int) throws(InflateError) -> [UInt8] {
        guard bytes.count >= 2 else { throw InflateError("truncated: the zlib header is missing") }
        let cmf = Int(bytes[0]), flg = Int(bytes[1])
        guard cmf & 0x0F == 8 else { throw InflateError("zlib compression method \(cmf & 0x0F) is not deflate (8)") }
        guard cmf >> 4 <= 7 else { throw InflateError("zlib window size 2^\((cmf >> 4) + 8) is larger than 32 KiB") }
        guard (cmf << 8 | flg) % 31 == 0 else { throw InflateError("zlib header check bits are wrong") }
        guard flg & 0x20 == 0 else { throw InflateError("zlib preset dictionaries are not supported") }
        let (output, end) = try deflate(bytes, start: 2, maxOutput: maxOutput)
        guard end + 4 <= bytes.count else { throw InflateError("truncated: the Adler-32 checksum is missing") }
        let stored = UInt32(bytes[end]) << 24 | UInt32(bytes[end + 1]) << 16 | UInt32(bytes[end + 2]) << 8
            | UInt32(bytes[end + 3])
        let computed = Adler32.checksum(output)
        guard stored == computed else {
            throw InflateError("Adler-32 mismatch: stored \(hex32(stored)), data gives \(hex32(computed))")
        }
        return output
    }

    /// Decompresses raw deflate data starting at byte `start`; returns the output and the
    /// index of the first byte after the final block.
    public static func deflate(_ bytes: [UInt8], start: Int = 0,
                               maxOutput: Int) throws(InflateError) -> (output: [UInt8], end: Int) {
        var reader = BitReader(bytes, startByte: start)
        var output: [UInt8] = []
        output.reserveCapacity(min(maxOutput, 1 << 24))
        var isFinal = false
        while !isFinal {
            isFinal = try reader.bits(1) == 1
            switch try reader.bits(2) {
            case 0: try copyStored(&reader, into: &output, maxOutput: maxOutput)
            case 1: try decodeBlock(&reader, FixedCodes.literals, FixedCodes.distances, into: &output, maxOutput: maxOutput)
            case 2:
                let (literals, distances) = try DynamicCodes.read(&reader)
                try decodeBlock(&reader, literals, distances, into: &output, maxOutput: maxOutput)
            default: throw InflateError("invalid block type 3")
            }
        }
        let end = try reader.alignToByte()
        return (output, end)
    }

    private static func copyStored(_ reader: inout BitReader, into output: inout [UInt8],
                                   maxOutput: Int) throws(InflateError) {
        let start = try reader.alignToByte()
        let bytes = reader.bytes
        guard start + 4 <= bytes.count else { throw InflateError("truncated: a stored block's header is missing") }
        let length = Int(bytes[start]) | Int(bytes[start + 1]) << 8
        let complement = Int(bytes[start + 2]) | Int(bytes[start + 3]) << 8
        guard length ^ complement == 0xFFFF else {
            throw InflateError("stored block length \(length) does not match its complement")
        }
        guard start + 4 + length <= bytes.count else { throw InflateError("truncated: a stored block ends early") }
        guard output.count + length <= maxOutput else { throw tooLong(maxOutput) }
        output.append(contentsOf: bytes[(start + 4)..<(start + 4 + length)])
        try reader.skipBytes(4 + length)
    }

    private static func decodeBlock(_ reader: inout BitReader, _ literals: HuffmanTable, _ distances: HuffmanTable,
                                    into output: inout [UInt8], maxOutput: Int) throws(InflateError) {
        while true {
            let symbol = try literals.decode(&reader)
            if symbol < 256 {
                guard output.count < maxOutput else { throw tooLong(maxOutput) }
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < LengthCodes.base.count else { throw InflateError("invalid length symbol \(symbol)") }
            let length = LengthCodes.base[lengthIndex] + (try reader.bits(LengthCodes.extra[lengthIndex]))
            let distanceSymbol = try distances.decode(&reader)
            guard distanceSymbol < DistanceCodes.base.count else {
                throw InflateError("invalid distance symbol \(distanceSymbol)")
            }
            let distance = DistanceCodes.base[distanceSymbol] + (try reader.bits(DistanceCodes.extra[distanceSymbol]))
            guard distance <= output.count else {
                throw InflateError("distance \(distance) reaches before the start of the data (\(output.count) bytes)")
            }
            guard output.count + length <= maxOutput else { throw tooLong(maxOutput) }
            let from = output.count - distance
            for i in 0..<length { output.append(output[from + i]) }
        }
    }

    private static func tooLong(_ maxOutput: Int) -> InflateError {
        InflateError("decompressed data is longer than the expected \(maxOutput) bytes")
    }
}

/// `0x0000abcd`.
func hex32(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}

/// Base lengths and extra bits of length symbols 257…285.
enum LengthCodes {
    static let base = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
                       67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let extra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
}

/// Base distances and extra bits of distance symbols 0…29.
enum DistanceCodes {
    static let base = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
                       1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let extra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
}

/// The fixed codes of block type 1 (RFC 1951 §3.2.6).
enum FixedCodes {
    static let literals: HuffmanTable = {
        let lengths = [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112)
            + [Int](repeating: 7, count: 24) + [Int](repeating: 8, count: 8)
        // Valid by construction (a complete code).
        return try! HuffmanTable(lengths: lengths)
    }()
    static let distances: HuffmanTable = try! HuffmanTable(lengths: [Int](repeating: 5, count: 30))
}

/// Reads the code definitions at the start of a dynamic block (type 2).
enum DynamicCodes {
    /// The order in which code-length code lengths are stored.
    private static let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    static func read(_ reader: inout BitReader) throws(InflateError) -> (HuffmanTable, HuffmanTable) {
        let literalCount = try reader.bits(5) + 257
        let distanceCount = try reader.bits(5) + 1
        let codeLengthCount = try reader.bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw InflateError("dynamic block declares \(literalCount) literal/length and \(distanceCount) distance codes (at most 286 and 30)")
        }
        var codeLengthLengths = [Int](repeating: 0, count: 19)
        for i in 0..<codeLengthCount { codeLengthLengths[order[i]] = try reader.bits(3) }
        let codeLengths = try HuffmanTable(lengths: codeLengthLengths)
        let total = literalCount + distanceCount
        var lengths: [Int] = []
        lengths.reserveCapacity(total)
        while lengths.count < total {
            let symbol = try codeLengths.decode(&reader)
            var repeated = 0, value = 0
            switch symbol {
            case 0...15:
                lengths.append(symbol)
                continue
            case 16:
                guard let previous = lengths.last else { throw InflateError("code length repeat with no previous length") }
                (value, repeated) = (previous, 3 + (try reader.bits(2)))
            case 17: repeated = 3 + (try reader.bits(3))
            default: repeated = 11 + (try reader.bits(7))
            }
            guard lengths.count + repeated <= total else { throw InflateError("code length repeat runs past the last code") }
            lengths.append(contentsOf: repeatElement(value, count: repeated))
        }
        guard lengths[256] != 0 else { throw InflateError("dynamic block has no end-of-block code") }
        return (try HuffmanTable(lengths: Array(lengths[0..<literalCount])),
                try HuffmanTable(lengths: Array(lengths[literalCount...])))
    }
}
