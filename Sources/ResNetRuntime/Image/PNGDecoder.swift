// PNG files: the signature, the chunk sequence (each CRC checked), IHDR/PLTE/IDAT/IEND, and the
// zlib data inflated to exactly the size the header implies. Pixels come from PNGScanlines.

/// Decodes PNG files (every color type, bit depths 1–16, non-interlaced and Adam7).
public enum PNGDecoder {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The header fields that decide how the pixel data is laid out.
    struct Header {
        var width: Int
        var height: Int
        var bitDepth: Int
        var colorType: Int
        var interlaced: Bool

        /// Samples per pixel in the file (a palette index is one sample).
        var samplesPerPixel: Int {
            switch colorType {
            case 0, 3: return 1
            case 4: return 2
            case 2: return 3
            default: return 4
            }
        }
        /// Channels of the decoded image: a palette expands to RGB.
        var channels: Int { colorType == 3 ? 3 : samplesPerPixel }
        var bitsPerPixel: Int { bitDepth * samplesPerPixel }
    }

    /// Decodes PNG `bytes`; `path` names them in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws(ImageError) -> Image {
        func fail(_ reason: String) -> ImageError { ImageError(path: path, reason: "bad PNG: " + reason) }
        guard bytes.count >= 8, Array(bytes[0..<8]) == signature else { throw fail("missing the PNG signature") }
        var position = 8
        var header: Header?
        var palette: [UInt8] = []
        var compressed: [UInt8] = []
        var sawEnd = false
        while !sawEnd {
            guard position + 8 <= bytes.count else {
                throw fail("truncated: the file ends before the IEND chunk")
            }
            let length = Int(readUInt32(bytes, position))
            let type = String(decoding: bytes[(position + 4)..<(position + 8)], as: UTF8.self)
            guard bytes[(position + 4)..<(position + 8)].allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) else {
                throw fail("invalid chunk type at byte \(position + 4)")
            }
            guard length <= Int(Int32.max), position + 12 + length <= bytes.count else {
                throw fail("truncated: chunk '\(type)' at byte \(position) declares \(length) bytes, the file has \(max(0, bytes.count - position - 12)) left")
            }
            let dataRange = (position + 8)..<(position + 8 + length)
            let stored = readUInt32(bytes, dataRange.upperBound)
            let computed = CRC32.checksum(bytes, (position + 4)..<dataRange.upperBound)
            guard stored == computed else {
                throw fail("chunk '\(type)' has a bad CRC (stored \(hex32(stored)), data gives \(hex32(computed)))")
            }
            if header == nil && type != "IHDR" { throw fail("the first chunk is '\(type)', not IHDR") }
            switch type {
            case "IHDR":
                guard header == nil else { throw fail("more than one IHDR chunk") }
                header = try readHeader(bytes, dataRange, fail)
            case "PLTE":
                guard length % 3 == 0, length >= 3, length <= 768 else {
                    throw fail("PLTE chunk has \(length) bytes (a multiple of 3, at most 768)")
                }
                palette = Array(bytes[dataRange])
            case "IDAT":
                compressed.append(contentsOf: bytes[dataRange])
            case "IEND":
                sawEnd = true
            default:
                // Ancillary chunks (lowercase first letter) may be skipped; critical ones may not.
                if bytes[position + 4] & 0x20 == 0 { throw fail("unknown critical chunk '\(type)'") }
            }
            position = dataRange.upperBound + 4
        }
        guard let header else { throw fail("no IHDR chunk") }
        if header.colorType == 3 && palette.isEmpty { throw fail("palette image (color type 3) has no PLTE chunk") }
        guard !compressed.isEmpty else { throw fail("no IDAT chunk") }
        let expected = PNGScanlines.dataSize(header)
        let data: [UInt8]
        do { data = try Inflate.zlib(compressed, maxOutput: expected) } catch {
            throw fail("image data: \(error.reason)")
        }
        guard data.count == expected else {
            throw fail("image data: decompressed to \(data.count) bytes, the header implies \(expected)")
        }
        return try PNGScanlines.image(header, data: data, palette: palette, fail)
    }

    private static func readHeader(_ bytes: [UInt8], _ range: Range<Int>,
                                   _ fail: (String) -> ImageError) throws(ImageError) -> Header {
        guard range.count == 13 else { throw fail("IHDR chunk has \(range.count) bytes, expected 13") }
        let start = range.lowerBound
        let width = Int(readUInt32(bytes, start)), height = Int(readUInt32(bytes, start + 4))
        let depth = Int(bytes[start + 8]), colorType = Int(bytes[start + 9])
        guard width >= 1, height >= 1 else { throw fail("image is \(width)×\(height); both must be ≥ 1") }
        guard width <= Image.maxDimension, height <= Image.maxDimension, width * height <= Image.maxPixels else {
            throw fail("image is \(width)×\(height); the limit is \(Image.maxPixels) pixels and \(Image.maxDimension) per side")
        }
        let depths: [Int: [Int]] = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
        guard let allowed = depths[colorType] else { throw fail("unknown color type \(colorType)") }
        guard allowed.contains(depth) else { throw fail("bit depth \(depth) is not allowed for color type \(colorType)") }
        guard bytes[start + 10] == 0 else { throw fail("unknown compression method \(bytes[start + 10])") }
        guard bytes[start + 11] == 0 else { throw fail("unknown filter method \(bytes[start + 11])") }
        guard bytes[start + 12] <= 1 else { throw fail("unknown interlace method \(bytes[start + 12])") }
        return Header(width: width, height: height, bitDepth: depth, colorType: colorType,
                      interlaced: bytes[start + 12] == 1)
    }

    /// A big-endian 32-bit number at `offset` (the caller checked the bounds).
    static func readUInt32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }
}
