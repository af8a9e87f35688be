// Binary Netpbm images: P5 (gray, PGM) and P6 (RGB, PPM), maxval 1…65535. maxval 255 keeps
// 8-bit samples; any other maxval is rescaled to 0…255 floats.

/// Decodes binary PGM (P5) and PPM (P6) files.
public enum PNMDecoder {
    /// Decodes P5/P6 `bytes`; `path` names them in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws(ImageError) -> Image {
        func fail(_ reason: String) -> ImageError { ImageError(path: path, reason: "bad PNM: " + reason) }
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "5") || bytes[1] == UInt8(ascii: "6") else {
            throw fail("missing the P5 or P6 magic")
        }
        let channels = bytes[1] == UInt8(ascii: "5") ? 1 : 3
        var position = 2
        var fields: [Int] = []
        for name in ["width", "height", "maxval"] {
            fields.append(try readNumber(bytes, &position, name, fail))
        }
        let (width, height, maxval) = (fields[0], fields[1], fields[2])
        guard width >= 1, height >= 1 else { throw fail("image is \(width)×\(height); both must be ≥ 1") }
        guard width <= Image.maxDimension, height <= Image.maxDimension, width * height <= Image.maxPixels else {
            throw fail("image is \(width)×\(height); the limit is \(Image.maxPixels) pixels and \(Image.maxDimension) per side")
        }
        guard maxval >= 1, maxval <= 65535 else { throw fail("maxval \(maxval) is outside 1…65535") }
        guard position < bytes.count, isSpace(bytes[position]) else {
            throw fail("expected one whitespace byte after maxval")
        }
        position += 1
        let count = width * height * channels, sampleBytes = maxval > 255 ? 2 : 1
        guard bytes.count - position >= count * sampleBytes else {
            throw fail("truncated: expected \(count * sampleBytes) bytes of pixels, found \(bytes.count - position)")
        }
        if maxval == 255 {
            return Image(width: width, height: height, channels: channels,
                         pixels: .uint8(Array(bytes[position..<(position + count)])))
        }
        let scale = 255 / Float(maxval)
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count {
            let sample = sampleBytes == 2
                ? Int(bytes[position + 2 * i]) << 8 | Int(bytes[position + 2 * i + 1]) : Int(bytes[position + i])
            guard sample <= maxval else { throw fail("sample \(sample) at index \(i) exceeds maxval \(maxval)") }
            values[i] = Float(sample) * scale
        }
        return Image(width: width, height: height, channels: channels, pixels: .float(values))
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    /// Skips whitespace and `#` comments, then reads a decimal header field.
    private static func readNumber(_ bytes: [UInt8], _ position: inout Int, _ name: String,
                                   _ fail: (String) -> ImageError) throws(ImageError) -> Int {
        while position < bytes.count {
            if isSpace(bytes[position]) {
                position += 1
            } else if bytes[position] == UInt8(ascii: "#") {
                while position < bytes.count && bytes[position] != 0x0A { position += 1 }
            } else {
                break
            }
        }
        var value = 0, digits = 0
        while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
            guard digits < 9 else { throw fail("\(name) has too many digits") }
            value = value * 10 + Int(bytes[position] - 0x30)
            digits += 1
            position += 1
        }
        guard digits > 0 else {
            throw fail(position < bytes.count ? "expected the \(name), found byte \(bytes[position])" : "truncated: the header ends before the \(name)")
        }
        return value
    }
}
