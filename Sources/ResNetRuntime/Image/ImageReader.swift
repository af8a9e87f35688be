// Reads an image file whatever its format, recognized by its first bytes (PNG signature or
// P5/P6), with the file size bounded before it is loaded.
import Foundation

/// Reads PNG, PGM and PPM files into Images.
public enum ImageReader {
    /// The largest image file read, in bytes (256 MiB).
    public static let maxFileBytes = 1 << 28

    /// Whether `path` names a file this reader handles, judged by its extension
    /// (`.png`, `.ppm`, `.pgm`, `.pnm`, any case).
    public static func handles(path: String) -> Bool {
        let lower = path.lowercased()
        return [".png", ".ppm", ".pgm", ".pnm"].contains { lower.hasSuffix($0) }
    }

    /// Reads and decodes the image file at `path`.
    public static func read(path: String) throws(ImageError) -> Image {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int else {
            throw ImageError(path: path, reason: "no such file")
        }
        guard size <= maxFileBytes else {
            throw ImageError(path: path, reason: "file is \(size) bytes; the limit is \(maxFileBytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImageError(path: path, reason: "cannot read the file")
        }
        return try decode([UInt8](data), path: path)
    }

    /// Decodes image bytes by their signature; `path` names them in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws(ImageError) -> Image {
        if bytes.starts(with: PNGDecoder.signature) { return try PNGDecoder.decode(bytes, path: path) }
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "5") || bytes[1] == UInt8(ascii: "6") {
            return try PNMDecoder.decode(bytes, path: path)
        }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            throw ImageError(path: path, reason: "JPEG is not supported; convert it to PNG first (resnetc reads PNG, binary PGM and binary PPM)")
        }
        throw ImageError(path: path, reason: "not a PNG, binary PGM (P5) or binary PPM (P6) file")
    }
}
