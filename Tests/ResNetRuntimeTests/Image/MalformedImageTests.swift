// Broken PNG and PNM files — bad CRCs, truncation, broken zlib data, impossible or huge sizes —
// each give one named error, and the size limits apply before any pixel memory is allocated.
import ResNetRuntime
import Testing

@Suite("Malformed images")
struct MalformedImageTests {
    static func hex(_ v: UInt32) -> String { let d = String(v, radix: 16); return "0x" + String(repeating: "0", count: 8 - d.count) + d }

    private func expectError(_ bytes: [UInt8], _ reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: ImageError(path: "bad.png", reason: reason), sourceLocation: sourceLocation) {
            try ImageReader.decode(bytes, path: "bad.png")
        }
    }

    @Test("a flipped byte in a chunk is a CRC error naming the chunk and both CRCs")
    func badCRC() throws {
        var bytes = try ImageFixtures.bytes("rgb8.png")
        bytes[18] ^= 0x01  // inside IHDR's width
        let stored = UInt32(bytes[29]) << 24 | UInt32(bytes[30]) << 16 | UInt32(bytes[31]) << 8 | UInt32(bytes[32])
        let computed = CRC32.checksum(bytes, 12..<29)
        expectError(bytes, "bad PNG: chunk 'IHDR' has a bad CRC (stored \(Self.hex(stored)), data gives \(Self.hex(computed)))")
    }

    @Test("files cut short say where", arguments: [4, 20, 40, 100])
    func truncated(length: Int) throws {
        let bytes = Array(try ImageFixtures.bytes("rgb8.png").prefix(length))
        let reasons = [
            4: "not a PNG, binary PGM (P5) or binary PPM (P6) file",
            20: "bad PNG: truncated: chunk 'IHDR' at byte 8 declares 13 bytes, the file has 0 left",
            40: "bad PNG: truncated: the file ends before the IEND chunk",
            100: "bad PNG: truncated: chunk 'IDAT' at byte 68 declares 221 bytes, the file has 20 left",
        ]
        expectError(bytes, try #require(reasons[length]))
    }

    @Test("broken zlib data inside IDAT is named")
    func badZlib() {
        expectError(PNGBytes.png(width: 2, height: 2, idat: [0x78, 0x9D, 0, 0]), "bad PNG: image data: zlib header check bits are wrong")
        expectError(PNGBytes.png(width: 2, height: 2, idat: [0x78, 0x9C, 0x07]), "bad PNG: image data: invalid block type 3")
        // Valid zlib of 3 zero bytes where the header implies 2 rows × (1 + 2) bytes = 6.
        expectError(PNGBytes.png(width: 2, height: 2, idat: [0x78, 0x9C, 0x63, 0x60, 0x60, 0x00, 0x00, 0x00, 0x03, 0x00, 0x01]),
                    "bad PNG: image data: decompressed to 3 bytes, the header implies 6")
    }

    @Test("huge or empty dimensions are refused from the header, before any allocation")
    func dimensions() {
        let limit = "the limit is \(Image.maxPixels) pixels and \(Image.maxDimension) per side"
        expectError(PNGBytes.png(width: 100_000, height: 1, idat: []), "bad PNG: image is 100000×1; \(limit)")
        expectError(PNGBytes.png(width: 0xFFFF_FFFF, height: 0xFFFF_FFFF, idat: []), "bad PNG: image is 4294967295×4294967295; \(limit)")
        expectError(PNGBytes.png(width: 60_000, height: 60_000, idat: []), "bad PNG: image is 60000×60000; \(limit)")
        expectError(PNGBytes.png(width: 0, height: 5, idat: []), "bad PNG: image is 0×5; both must be ≥ 1")
        #expect(throws: ImageError(path: "big.ppm", reason: "bad PNM: image is 70000×70000; \(limit)")) {
            try ImageReader.decode(Array("P6 70000 70000 255\n".utf8), path: "big.ppm")
        }
    }

    @Test("header fields that PNG does not allow")
    func badHeaders() {
        expectError(PNGBytes.png(width: 2, height: 2, depth: 3, colorType: 0, idat: []), "bad PNG: bit depth 3 is not allowed for color type 0")
        expectError(PNGBytes.png(width: 2, height: 2, depth: 8, colorType: 5, idat: []), "bad PNG: unknown color type 5")
        expectError(PNGBytes.png(width: 2, height: 2, depth: 8, colorType: 3, idat: [0x78, 0x9C]),
                    "bad PNG: palette image (color type 3) has no PLTE chunk")
        expectError(PNGBytes.signature + PNGBytes.chunk("IDAT", []) + PNGBytes.chunk("IEND", []), "bad PNG: the first chunk is 'IDAT', not IHDR")
    }

    @Test("PNM files with missing or inconsistent fields")
    func badPNM() {
        let cases: [(String, [UInt8], String)] = [
            ("short.pgm", Array("P5 4 4 255\n".utf8) + [1, 2, 3], "bad PNM: truncated: expected 16 bytes of pixels, found 3"),
            ("zero.pgm", Array("P5 4 4 0\n".utf8), "bad PNM: maxval 0 is outside 1…65535"),
            ("header.ppm", Array("P6 4".utf8), "bad PNM: truncated: the header ends before the height"),
            ("sample.pgm", Array("P5 1 1 10\n".utf8) + [11], "bad PNM: sample 11 at index 0 exceeds maxval 10"),
            ("ascii.pgm", Array("P2 1 1 255\n0\n".utf8), "not a PNG, binary PGM (P5) or binary PPM (P6) file"),
            ("photo.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 16], "JPEG is not supported; convert it to PNG first (resnetc reads PNG, binary PGM and binary PPM)"),
        ]
        for (name, bytes, reason) in cases {
            #expect(throws: ImageError(path: name, reason: reason)) { try ImageReader.decode(bytes, path: name) }
        }
    }

    @Test("a missing file and a file of another kind")
    func files() {
        #expect(throws: ImageError(path: "/nonexistent/x.png", reason: "no such file")) {
            try ImageReader.read(path: "/nonexistent/x.png")
        }
        #expect(ImageReader.handles(path: "a/B.PNG") && ImageReader.handles(path: "x.pgm") && !ImageReader.handles(path: "x.npy"))
    }

    @Test("thousands of random corruptions of every kind of fixture decode or fail, never crash",
          arguments: ["rgb8.png", "rgb8_interlaced.png", "palette4.png", "gray1.png", "rgb16.png", "rgb8_fixed.png", "rgb.ppm"])
    func randomCorruptions(name: String) throws {
        let original = try ImageFixtures.bytes(name)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(original.count)
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var decoded = 0, failed = 0
        for _ in 0..<400 {
            var bytes = original
            for _ in 0..<(1 + next() % 4) {
                bytes[next() % bytes.count] = UInt8(truncatingIfNeeded: next())
            }
            if next() % 4 == 0 { bytes.removeLast(next() % bytes.count) }
            // Half the time, make the CRCs right again so the damage reaches inflate and the
            // scanline decoder instead of stopping at the chunk check.
            if next() % 2 == 0 { PNGBytes.fixCRCs(&bytes) }
            do {
                _ = try ImageReader.decode(bytes, path: name)
                decoded += 1
            } catch {
                failed += 1
                #expect(error.description.hasPrefix(name + ": "))
            }
        }
        #expect(decoded + failed == 400)
    }
}
