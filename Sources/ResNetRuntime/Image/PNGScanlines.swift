// PNG pixel data after inflation: undoes the five row filters, unpacks 1/2/4/16-bit samples,
// expands palettes, and places Adam7 passes, giving the image's HWC samples.

/// Turns a PNG's inflated scanlines into an Image.
enum PNGScanlines {
    /// Adam7 passes: x start, y start, x step, y step.
    private static let adam7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]

    /// The sub-images stored in the file: the whole image, or the non-empty Adam7 passes.
    private static func passes(_ header: PNGDecoder.Header) -> [(x: Int, y: Int, dx: Int, dy: Int, width: Int, height: Int)] {
        guard header.interlaced else { return [(0, 0, 1, 1, header.width, header.height)] }
        return adam7.compactMap { pass in
            let (x, y, dx, dy) = pass
            let width = (header.width - x + dx - 1) / dx, height = (header.height - y + dy - 1) / dy
            return width > 0 && height > 0 ? (x, y, dx, dy, width, height) : nil
        }
    }

    private static func rowBytes(_ header: PNGDecoder.Header, width: Int) -> Int {
        (width * header.bitsPerPixel + 7) / 8
    }

    /// Bytes of inflated data the header implies (a filter byte per row of every pass).
    static func dataSize(_ header: PNGDecoder.Header) -> Int {
        passes(header).reduce(0) { $0 + $1.height * (1 + rowBytes(header, width: $1.width)) }
    }

    /// Decodes `data` (exactly `dataSize` bytes) into an image.
    static func image(_ header: PNGDecoder.Header, data: [UInt8], palette: [UInt8],
                      _ fail: (String) -> ImageError) throws(ImageError) -> Image {
        let channels = header.channels
        var samples = [UInt16](repeating: 0, count: header.width * header.height * channels)
        var offset = 0
        for pass in passes(header) {
            let stride = rowBytes(header, width: pass.width)
            let rows = try unfilter(data, offset: offset, rowBytes: stride, rows: pass.height,
                                    bytesPerPixel: max(1, header.bitsPerPixel / 8), fail)
            offset += pass.height * (1 + stride)
            for row in 0..<pass.height {
                let values = try rowSamples(rows, start: row * stride, width: pass.width, header, palette, fail)
                let y = pass.y + row * pass.dy
                for column in 0..<pass.width {
                    let target = ((y * header.width) + pass.x + column * pass.dx) * channels
                    for c in 0..<channels { samples[target + c] = values[column * channels + c] }
                }
            }
        }
        if header.bitDepth == 16 {
            return Image(width: header.width, height: header.height, channels: channels,
                         pixels: .float(samples.map { Float($0) * (255 / 65535) }))
        }
        return Image(width: header.width, height: header.height, channels: channels,
                     pixels: .uint8(samples.map { UInt8(truncatingIfNeeded: $0) }))
    }

    /// Undoes the row filters of one (sub-)image; returns the rows without their filter bytes.
    private static func unfilter(_ data: [UInt8], offset: Int, rowBytes: Int, rows: Int, bytesPerPixel: Int,
                                 _ fail: (String) -> ImageError) throws(ImageError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: rows * rowBytes)
        for row in 0..<rows {
            let source = offset + row * (1 + rowBytes)
            let filter = data[source]
            let base = row * rowBytes
            for i in 0..<rowBytes {
                let raw = data[source + 1 + i]
                let left = i >= bytesPerPixel ? out[base + i - bytesPerPixel] : 0
                let up = row > 0 ? out[base - rowBytes + i] : 0
                let upLeft = row > 0 && i >= bytesPerPixel ? out[base - rowBytes + i - bytesPerPixel] : 0
                switch filter {
                case 0: out[base + i] = raw
                case 1: out[base + i] = raw &+ left
                case 2: out[base + i] = raw &+ up
                case 3: out[base + i] = raw &+ UInt8((Int(left) + Int(up)) / 2)
                case 4: out[base + i] = raw &+ paeth(left, up, upLeft)
                default: throw fail("row \(row) has unknown filter type \(filter)")
                }
            }
        }
        return out
    }

    private static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let pa = abs(p - Int(a)), pb = abs(p - Int(b)), pc = abs(p - Int(c))
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    /// One row's samples as decoded channels: gray of depth < 8 scaled to 0…255, palette
    /// indices expanded to RGB, 16-bit samples kept whole.
    private static func rowSamples(_ rows: [UInt8], start: Int, width: Int, _ header: PNGDecoder.Header,
                                   _ palette: [UInt8], _ fail: (String) -> ImageError) throws(ImageError) -> [UInt16] {
        let count = width * header.samplesPerPixel
        var raw = [UInt16](repeating: 0, count: count)
        switch header.bitDepth {
        case 16:
            for i in 0..<count { raw[i] = UInt16(rows[start + 2 * i]) << 8 | UInt16(rows[start + 2 * i + 1]) }
        case 8:
            for i in 0..<count { raw[i] = UInt16(rows[start + i]) }
        default:
            let depth = header.bitDepth, perByte = 8 / depth, mask = (1 << depth) - 1
            for i in 0..<count {
                let byte = Int(rows[start + i / perByte])
                raw[i] = UInt16((byte >> (8 - depth * (i % perByte + 1))) & mask)
            }
            if header.colorType == 0 { raw = raw.map { $0 * UInt16(255 / mask) } }
        }
        guard header.colorType == 3 else { return raw }
        let entries = palette.count / 3
        var rgb = [UInt16](repeating: 0, count: width * 3)
        for (i, index) in raw.enumerated() {
            guard Int(index) < entries else {
                throw fail("palette index \(index) is beyond the \(entries)-entry palette")
            }
            for c in 0..<3 { rgb[i * 3 + c] = UInt16(palette[Int(index) * 3 + c]) }
        }
        return rgb
    }
}
