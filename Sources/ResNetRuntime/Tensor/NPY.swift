// NumPy `.npy` files (format 1.0/2.0/3.0) to and from Tensors: reads float32 (and converts
// float64, uint8, int32, int64, either byte order), C order only; writes version 1.0 `<f4`.

import Foundation

/// Reads and writes NumPy `.npy` arrays as Tensors.
public enum NPY {
    private static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Reads the `.npy` file at `path`.
    public static func read(path: String) throws(RuntimeError) -> Tensor {
        guard FileManager.default.fileExists(atPath: path) else { throw .fileNotFound(path: path) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        return try decode(bytes: [UInt8](data), name: path)
    }

    /// Decodes `.npy` bytes; `name` identifies them in errors.
    public static func decode(bytes: [UInt8], name: String) throws(RuntimeError) -> Tensor {
        func fail(_ reason: String) -> RuntimeError { .npy(path: name, reason: reason) }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw fail("missing the \\x93NUMPY magic") }
        let major = bytes[6]
        let (lengthBytes, headerStart): (Int, Int)
        switch major {
        case 1: (lengthBytes, headerStart) = (2, 10)
        case 2, 3: (lengthBytes, headerStart) = (4, 12)
        default: throw fail("unsupported format version \(major).\(bytes[7])")
        }
        guard bytes.count >= headerStart else { throw fail("truncated header length") }
        let headerLength = bytes[8..<8 + lengthBytes].reversed().reduce(0) { $0 << 8 | Int($1) }
        guard headerLength <= bytes.count - headerStart else {
            throw fail("header of \(headerLength) bytes runs past the end of the data (\(bytes.count) bytes)")
        }
        let dataStart = headerStart + headerLength
        guard let text = String(validating: bytes[headerStart..<dataStart], as: UTF8.self) else {
            throw fail("header is not valid text")
        }
        let header: NPYHeader
        switch NPYHeader.parse(text) {
        case .success(let parsed): header = parsed
        case .failure(let error): throw fail(error.message)
        }
        guard !header.fortranOrder else { throw fail("Fortran-order arrays are not supported; save with C order") }
        guard let dtype = NPYDType(descr: header.descr) else {
            throw fail("unsupported dtype '\(header.descr)' (expected <f4, <f8, |u1, <i4 or <i8)")
        }
        var count = 1
        for dim in header.shape {
            let product = count.multipliedReportingOverflow(by: dim)
            guard !product.overflow else { throw fail("shape \(header.shape.shapeDescription) overflows") }
            count = product.partialValue
        }
        let needed = count.multipliedReportingOverflow(by: dtype.size)
        // Exactly: extra bytes after the data mean a wrong header or an appended-to file.
        guard !needed.overflow, needed.partialValue == bytes.count - dataStart else {
            throw fail("shape \(header.shape.shapeDescription) of \(header.descr) needs \(needed.overflow ? "too many" : String(needed.partialValue)) data bytes, found \(bytes.count - dataStart)")
        }
        let values = bytes.withUnsafeBytes { raw in
            dtype.floats(from: UnsafeRawBufferPointer(rebasing: raw[dataStart...]), count: count)
        }
        return Tensor(shape: header.shape, data: values)
    }

    /// The bytes of a version 1.0 `<f4` `.npy` file holding `tensor` (C order).
    public static func encode(_ tensor: Tensor) -> [UInt8] {
        let shape: String
        switch tensor.shape.count {
        case 0: shape = "()"
        case 1: shape = "(\(tensor.shape[0]),)"
        default: shape = "(" + tensor.shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
        // Version 1.0 stores the header length in 2 bytes; only absurd ranks need 2.0's 4 bytes.
        let longHeader = header.utf8.count + 64 > Int(UInt16.max)
        let prefix = longHeader ? 12 : 10
        let padded = (prefix + header.utf8.count + 1 + 63) / 64 * 64
        header += String(repeating: " ", count: padded - prefix - header.utf8.count - 1) + "\n"
        var bytes = magic + [longHeader ? 2 : 1, 0]
        var length = header.utf8.count
        for _ in 0..<(prefix - 8) {
            bytes.append(UInt8(length & 0xff))
            length >>= 8
        }
        bytes += Array(header.utf8)
        bytes.reserveCapacity(bytes.count + 4 * tensor.data.count)
        for value in tensor.data {
            let bits = value.bitPattern
            bytes += [UInt8(bits & 0xff), UInt8(bits >> 8 & 0xff), UInt8(bits >> 16 & 0xff), UInt8(bits >> 24)]
        }
        return bytes
    }

    /// Writes `tensor` to `path` as a version 1.0 `<f4` `.npy` file.
    public static func write(_ tensor: Tensor, to path: String) throws(RuntimeError) {
        try RNCFile.writeBytes(encode(tensor), to: path)
    }
}

/// The element types `NPY.decode` converts to Float.
private enum NPYDType {
    case float32(bigEndian: Bool), float64(bigEndian: Bool), uint8
    case int32(bigEndian: Bool), int64(bigEndian: Bool)

    init?(descr: String) {
        switch descr {
        case "<f4", "=f4": self = .float32(bigEndian: false)
        case ">f4": self = .float32(bigEndian: true)
        case "<f8", "=f8": self = .float64(bigEndian: false)
        case ">f8": self = .float64(bigEndian: true)
        case "|u1", "<u1", "=u1", ">u1": self = .uint8
        case "<i4", "=i4": self = .int32(bigEndian: false)
        case ">i4": self = .int32(bigEndian: true)
        case "<i8", "=i8": self = .int64(bigEndian: false)
        case ">i8": self = .int64(bigEndian: true)
        default: return nil
        }
    }

    var size: Int {
        switch self {
        case .uint8: return 1
        case .float32, .int32: return 4
        case .float64, .int64: return 8
        }
    }

    /// Converts `count` packed elements to Float.
    func floats(from raw: UnsafeRawBufferPointer, count: Int) -> [Float] {
        func load<T: FixedWidthInteger>(_ i: Int, _: T.Type, bigEndian: Bool) -> T {
            let v = raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)
            return bigEndian ? T(bigEndian: v) : T(littleEndian: v)
        }
        switch self {
        case .float32(let big): return (0..<count).map { Float(bitPattern: load($0, UInt32.self, bigEndian: big)) }
        case .float64(let big): return (0..<count).map { Float(Double(bitPattern: load($0, UInt64.self, bigEndian: big))) }
        case .uint8: return (0..<count).map { Float(raw[$0]) }
        case .int32(let big): return (0..<count).map { Float(load($0, Int32.self, bigEndian: big)) }
        case .int64(let big): return (0..<count).map { Float(load($0, Int64.self, bigEndian: big)) }
        }
    }
}
