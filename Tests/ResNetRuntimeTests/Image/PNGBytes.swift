// PNG files built byte by byte for tests that need well-formed or deliberately broken ones.
// Shared by the runtime's image tests and the error catalogue (ResNetCompilerTests/Support holds a
// symlink to this file).
import ResNetRuntime

enum PNGBytes {
    /// The 8-byte PNG signature.
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// `v` as 4 big-endian bytes.
    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    /// A PNG chunk with its length and CRC.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(UInt32(data.count)) + body + be32(CRC32.checksum(body, 0..<body.count))
    }

    /// A PNG with the given IHDR fields and IDAT payload, and `extra` chunks between them. The
    /// default is 2×2 gray, 8-bit: its image data is 2 rows × (filter byte + 2 pixels) = 6 bytes.
    static func png(width: UInt32 = 2, height: UInt32 = 2, depth: UInt8 = 8, colorType: UInt8 = 0,
                    extra: [UInt8] = [], idat: [UInt8] = [0x78, 0x9C]) -> [UInt8] {
        signature + chunk("IHDR", be32(width) + be32(height) + [depth, colorType, 0, 0, 0]) + extra
            + chunk("IDAT", idat) + chunk("IEND", [])
    }

    /// Recomputes the CRC of every whole chunk of a PNG.
    static func fixCRCs(_ bytes: inout [UInt8]) {
        guard bytes.starts(with: signature) else { return }
        var position = 8
        while position + 12 <= bytes.count {
            let length = Int(bytes[position]) << 24 | Int(bytes[position + 1]) << 16 | Int(bytes[position + 2]) << 8 | Int(bytes[position + 3])
            guard position + 12 + length <= bytes.count else { return }
            let crc = be32(CRC32.checksum(bytes, (position + 4)..<(position + 8 + length)))
            bytes.replaceSubrange((position + 8 + length)..<(position + 12 + length), with: crc)
            position += 12 + length
        }
    }
}
