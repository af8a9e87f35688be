// libFuzzer target `image`: arbitrary bytes through `ImageReader.decode` (PNG with its inflate
// and filters, binary PGM/PPM); a decoded image must hold exactly width × height × channels
// samples. PNG chunk CRCs are repaired first so mutations reach the decoder, not the CRC check.
import ResNetRuntime

/// CRC-32 (IEEE, reflected) lookup table, as PNG uses.
private let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
}

/// Rewrites the CRC of every complete chunk after the PNG signature.
private func repairChunkCRCs(_ bytes: inout [UInt8]) {
    guard bytes.count >= 8, bytes[0] == 0x89, bytes[1] == 0x50 else { return }
    var at = 8
    while at + 12 <= bytes.count {
        let length = bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) }
        guard length <= bytes.count - at - 12 else { return }
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes[(at + 4)..<(at + 8 + length)] { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        crc ^= 0xFFFF_FFFF
        for i in 0..<4 { bytes[at + 8 + length + i] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(i))) }
        at += 12 + length
    }
}

/// One fuzz input: an ImageError is fine; a crash or an inconsistent image is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImage(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    repairChunkCRCs(&bytes)
    guard let image = try? ImageReader.decode(bytes, path: "fuzz.png") else { return 0 }
    guard image.width >= 1, image.height >= 1, image.pixels.count == image.width * image.height * image.channels else {
        fatalError("decoded a \(image.width)x\(image.height)x\(image.channels) image with \(image.pixels.count) samples")
    }
    return 0
}
