// Reading a safetensors file: validates the header fully before any tensor byte is trusted.
import Foundation
import ResNetRuntime

/// A parsed safetensors file held in memory; tensors are decoded on request.
public struct SafetensorsFile: Sendable {
    /// One header entry: where a tensor's bytes are and how to read them.
    struct Entry: Sendable {
        var dtype: String
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    /// The file path or buffer name used in messages.
    public let name: String
    /// The `__metadata__` string map (empty when absent).
    public let metadata: [String: String]
    private let bytes: [UInt8]
    private let dataStart: Int
    private let entries: [String: Entry]

    /// The largest header accepted, so a corrupt length cannot make us allocate wildly.
    static let maxHeaderLength = 100 * 1024 * 1024

    /// Reads and validates the file at `path`.
    public init(path: String) throws(WeightError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WeightError(file: path, problems: ["cannot read the file"])
        }
        try self.init(bytes: [UInt8](data), name: path)
    }

    /// Validates an in-memory safetensors image; `name` is used in messages.
    public init(bytes: [UInt8], name: String) throws(WeightError) {
        func fail(_ problem: String) -> WeightError { WeightError(file: name, problems: [problem]) }
        guard bytes.count >= 8 else {
            throw fail("file is too short for a safetensors header (\(bytes.count) bytes)")
        }
        var headerLength: UInt64 = 0
        for i in 0..<8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard headerLength <= UInt64(Self.maxHeaderLength) else {
            throw fail("header length \(headerLength) exceeds the 100 MiB limit")
        }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw fail("header length \(headerLength) exceeds the file size (\(bytes.count) bytes)")
        }
        let start = 8 + Int(headerLength)
        let header = try Self.parseHeader(bytes[8..<start], fail: fail)
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        for (key, value) in header {
            if key == "__metadata__" {
                metadata = try Self.parseMetadata(value, fail: fail)
            } else {
                entries[key] = try Self.parseEntry(key, value, bufferSize: bytes.count - start, fail: fail)
            }
        }
        self.name = name
        self.metadata = metadata
        self.bytes = bytes
        self.dataStart = start
        self.entries = entries
    }

    /// Names of all tensors in the file, sorted.
    public var tensorNames: [String] { entries.keys.sorted() }

    /// The dtype (`F32`, `I64`, ...) and shape of a tensor, or nil if the file has no such tensor.
    public func info(_ name: String) -> (dtype: String, shape: [Int])? {
        entries[name].map { ($0.dtype, $0.shape) }
    }

    /// Decodes a F32, F16 or BF16 tensor to Float.
    public func floatTensor(_ tensorName: String) throws(WeightError) -> Tensor {
        guard let entry = entries[tensorName] else {
            throw WeightError(file: name, problems: ["no tensor named '\(tensorName)'"])
        }
        let base = dataStart + entry.begin
        let count = entry.shape.reduce(1, *)
        var values = [Float](repeating: 0, count: count)
        switch entry.dtype {
        case "F32":
            for i in 0..<count {
                let at = base + 4 * i
                let bits = UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8
                    | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
                values[i] = Float(bitPattern: bits)
            }
        case "F16":
            for i in 0..<count { values[i] = HalfPrecision.float(fromF16: halfBits(at: base + 2 * i)) }
        case "BF16":
            for i in 0..<count { values[i] = HalfPrecision.float(fromBF16: halfBits(at: base + 2 * i)) }
        default:
            throw WeightError(file: name, problems: [
                "tensor '\(tensorName)' has dtype \(entry.dtype); only F32, F16 and BF16 can be used as weights",
            ])
        }
        return Tensor(shape: entry.shape, data: values)
    }

    private func halfBits(at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    private static func parseHeader(_ text: ArraySlice<UInt8>,
                                    fail: (String) -> WeightError) throws(WeightError) -> [String: Any] {
        guard let json = try? JSONSerialization.jsonObject(with: Data(text)) else {
            throw fail("header is not valid JSON")
        }
        guard let object = json as? [String: Any] else { throw fail("header is not a JSON object") }
        return object
    }

    private static func parseMetadata(_ value: Any,
                                      fail: (String) -> WeightError) throws(WeightError) -> [String: String] {
        guard let map = value as? [String: Any] else { throw fail("__metadata__ is not an object") }
        var strings: [String: String] = [:]
        for (key, item) in map {
            guard let text = item as? String else { throw fail("__metadata__ '\(key)' is not a string") }
            strings[key] = text
        }
        return strings
    }

    private static func parseEntry(_ key: String, _ value: Any, bufferSize: Int,
                                   fail: (String) -> WeightError) throws(WeightError) -> Entry {
        guard let fields = value as? [String: Any] else { throw fail("tensor '\(key)': entry is not an object") }
        for field in fields.keys.sorted() where !["dtype", "shape", "data_offsets"].contains(field) {
            throw fail("tensor '\(key)': unknown field '\(field)'")
        }
        guard let dtype = fields["dtype"] as? String else { throw fail("tensor '\(key)': missing or invalid dtype") }
        guard let size = SafetensorsDType.sizes[dtype] else { throw fail("tensor '\(key)': unknown dtype '\(dtype)'") }
        guard let shape = integers(fields["shape"]) else {
            throw fail("tensor '\(key)': shape must be a list of non-negative integers")
        }
        guard let offsets = integers(fields["data_offsets"]), offsets.count == 2 else {
            throw fail("tensor '\(key)': data_offsets must be two non-negative integers")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end else { throw fail("tensor '\(key)': data_offsets begin \(begin) is after end \(end)") }
        guard end <= bufferSize else {
            throw fail("tensor '\(key)': data_offsets [\(begin), \(end)] lie outside the data buffer (\(bufferSize) bytes)")
        }
        guard let needed = byteCount(shape: shape, elementSize: size) else {
            throw fail("tensor '\(key)': shape \(shape.shapeDescription) is too large")
        }
        guard needed == end - begin else {
            throw fail("tensor '\(key)': data_offsets span \(end - begin) bytes but \(dtype) "
                + "[\(shape.shapeDescription)] needs \(needed)")
        }
        return Entry(dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// A JSON array of non-negative integers, or nil (fractions and negatives are refused).
    private static func integers(_ value: Any?) -> [Int]? {
        guard let items = value as? [Any] else { return nil }
        var result: [Int] = []
        for item in items {
            guard let number = item as? NSNumber, let int = item as? Int, int >= 0,
                  number.doubleValue == Double(int) else { return nil }
            result.append(int)
        }
        return result
    }

    /// Element count × element size, or nil on overflow.
    private static func byteCount(shape: [Int], elementSize: Int) -> Int? {
        var total = elementSize
        for dim in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: dim)
            if overflow { return nil }
            total = product
        }
        return total
    }
}
