// Inflate against streams made by zlib (stored, fixed and dynamic blocks) and hand-made broken
// streams, each with its exact error.
import ResNetRuntime
import Testing

@Suite("Inflate")
struct InflateTests {
    @Test("zlib's stored, fixed-Huffman and dynamic-Huffman streams give back the payload",
          arguments: ["stored", "fixed", "dynamic"])
    func zlibStreams(kind: String) throws {
        let payload = try ImageFixtures.bytes("inflate_payload.bin")
        let stream = try ImageFixtures.bytes("inflate_\(kind).zlib")
        #expect(try Inflate.zlib(stream, maxOutput: payload.count) == payload)
    }

    @Test("an output limit below the payload is an error, not a large allocation")
    func outputLimit() throws {
        let stream = try ImageFixtures.bytes("inflate_dynamic.zlib")
        #expect(throws: InflateError("decompressed data is longer than the expected 100 bytes")) {
            try Inflate.zlib(stream, maxOutput: 100)
        }
    }

    @Test("a flipped byte of the Adler-32 is reported with both sums")
    func adlerMismatch() throws {
        var stream = try ImageFixtures.bytes("inflate_stored.zlib")
        let payload = try ImageFixtures.bytes("inflate_payload.bin")
        let good = Adler32.checksum(payload)
        stream[stream.count - 1] ^= 0xFF
        let bad = good ^ 0xFF
        func hex(_ v: UInt32) -> String { let d = String(v, radix: 16); return "0x" + String(repeating: "0", count: 8 - d.count) + d }
        #expect(throws: InflateError("Adler-32 mismatch: stored \(hex(bad)), data gives \(hex(good))")) {
            try Inflate.zlib(stream, maxOutput: 1 << 20)
        }
    }

    @Test("truncated streams say so", arguments: [10, 500, 1700])
    func truncated(length: Int) throws {
        let stream = try ImageFixtures.bytes("inflate_dynamic.zlib")
        #expect(throws: InflateError("truncated: the compressed data ends early")) {
            try Inflate.zlib(Array(stream[0..<length]), maxOutput: 1 << 20)
        }
    }

    @Test("broken headers and blocks give their exact errors")
    func brokenStreams() {
        let cases: [([UInt8], String)] = [
            ([0x78], "truncated: the zlib header is missing"),
            ([0x79, 0x9C], "zlib compression method 9 is not deflate (8)"),
            ([0x78, 0x9D], "zlib header check bits are wrong"),
            ([0x78, 0xBB, 0, 0, 0, 0], "zlib preset dictionaries are not supported"),
            // BFINAL = 1, BTYPE = 3.
            ([0x78, 0x9C, 0x07], "invalid block type 3"),
            // A stored block whose length complement is wrong.
            ([0x78, 0x9C, 0x01, 0x05, 0x00, 0x00, 0x00], "stored block length 5 does not match its complement"),
            // A dynamic block whose four code-length codes all have length 1 (over-subscribed).
            ([0x78, 0x9C] + bits([1, 0, 1] + [0, 0, 0, 0, 0] + [0, 0, 0, 0, 0] + [0, 0, 0, 0]
                                 + [1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0]),
             "invalid Huffman code lengths (over-subscribed)"),
            // A fixed block with a distance reaching before the start: literal-less match.
            // Fixed code for length symbol 257 is 0000001 (7 bits), distance code 0 is 00000.
            ([0x78, 0x9C] + bits([1, 1, 0] + [0, 0, 0, 0, 0, 0, 1] + [0, 0, 0, 0, 0]),
             "distance 1 reaches before the start of the data (0 bytes)"),
        ]
        for (stream, message) in cases {
            #expect(throws: InflateError(message), "\(message)") { try Inflate.zlib(stream, maxOutput: 1 << 20) }
        }
    }

    @Test("CRC-32 and Adler-32 of a known string")
    func checksums() {
        let text = Array("123456789".utf8)
        #expect(CRC32.checksum(text, 0..<text.count) == 0xCBF4_3926)
        #expect(Adler32.checksum(text) == 0x091E_01DE)
    }

    /// Packs bits LSB-first into bytes. Huffman codes are listed most significant bit first,
    /// as deflate sends them; other fields are listed least significant bit first.
    private func bits(_ values: [Int]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (values.count + 7) / 8)
        for (i, bit) in values.enumerated() where bit == 1 { out[i / 8] |= 1 << UInt8(i % 8) }
        return out
    }
}
