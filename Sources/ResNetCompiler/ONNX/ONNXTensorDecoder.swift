// `TensorProto`: decoding the message, and turning its data (raw_data or the typed repeated
// fields) into float32 weights or integer constants, with the element count checked.

/// Reads `TensorProto` messages and their values.
public enum ONNXTensorDecoder {
    /// Most dimensions of a tensor.
    public static let maxRank = 8
    /// Most elements of one tensor (as for `.net` tensors).
    public static let maxElements = 1 << 31

    /// Decodes one `TensorProto` message.
    public static func tensor(_ reader: inout ProtobufReader) throws(ProtobufError) -> ONNXTensor {
        var tensor = ONNXTensor()
        while let (number, wire) = try reader.nextField() {
            switch number {
            case 1:
                try reader.readRepeatedInt64(wire, into: &tensor.dims)
                guard tensor.dims.count <= maxRank else {
                    throw ProtobufError(offset: reader.position, message: "tensor has more than \(maxRank) dimensions")
                }
            case 2:
                try reader.expect(.varint, wire, field: "data_type")
                tensor.dataType = Int(truncatingIfNeeded: try reader.readInt64())
            case 4: try reader.readRepeatedFloat(wire, into: &tensor.floatData)
            case 5: try reader.readRepeatedInt64(wire, into: &tensor.int32Data)
            case 7: try reader.readRepeatedInt64(wire, into: &tensor.int64Data)
            case 10: try reader.readRepeatedDouble(wire, into: &tensor.doubleData)
            case 8:
                try reader.expect(.lengthDelimited, wire, field: "name")
                tensor.name = try reader.readString()
            case 9:
                try reader.expect(.lengthDelimited, wire, field: "raw_data")
                tensor.rawData = reader.bytes[try reader.readLengthDelimited()]
            case 14:
                try reader.expect(.varint, wire, field: "data_location")
                tensor.isExternal = try reader.readInt64() == 1
            default:
                try reader.skip(wire)
            }
        }
        return tensor
    }

    /// The shape as `Int`s, or a reason it is not a usable shape.
    public static func shape(of tensor: ONNXTensor) -> Result<[Int], ONNXValueError> {
        var count = 1
        for dim in tensor.dims {
            guard dim >= 0, dim <= Int64(maxElements) else { return .failure(.init("has dimension \(dim)")) }
            count *= Int(dim)
            guard count <= maxElements else { return .failure(.init("has more than \(maxElements) elements")) }
        }
        return .success(tensor.dims.map { Int($0) })
    }

    /// The values as float32 (FLOAT, FLOAT16, DOUBLE, and the integer types, converted).
    public static func floats(_ tensor: ONNXTensor) -> Result<[Float], ONNXValueError> {
        switch values(tensor) {
        case .success(let v): return .success(v.floats ?? v.doubles.map(Float.init))
        case .failure(let e): return .failure(e)
        }
    }

    /// The values as doubles (exact for integers up to 2^53, the range shapes and pads use).
    public static func doubles(_ tensor: ONNXTensor) -> Result<[Double], ONNXValueError> {
        switch values(tensor) {
        case .success(let v): return .success(v.floats.map { $0.map(Double.init) } ?? v.doubles)
        case .failure(let e): return .failure(e)
        }
    }

    private struct Values {
        var floats: [Float]?
        var doubles: [Double] = []
    }

    private static func values(_ tensor: ONNXTensor) -> Result<Values, ONNXValueError> {
        guard !tensor.isExternal else { return .failure(.init("stores its data in an external file, which is not supported")) }
        let count: Int
        switch shape(of: tensor) {
        case .success(let s): count = s.reduce(1, *)
        case .failure(let e): return .failure(e)
        }
        guard let width = elementBytes[tensor.dataType] else {
            return .failure(.init("has data type \(dataTypeName(tensor.dataType)), which cannot be imported"))
        }
        if let raw = tensor.rawData {
            guard raw.count == count * width else {
                return .failure(.init("has \(raw.count) bytes of raw_data; \(count) elements of \(dataTypeName(tensor.dataType)) need \(count * width)"))
            }
            return .success(decodeRaw(raw, type: tensor.dataType, count: count))
        }
        let typed: Values
        switch tensor.dataType {
        case 1: typed = Values(floats: tensor.floatData)
        case 11: typed = Values(doubles: tensor.doubleData)
        case 7: typed = Values(doubles: tensor.int64Data.map(Double.init))
        case 10: typed = Values(floats: tensor.int32Data.map { Float(Float16(bitPattern: UInt16(truncatingIfNeeded: $0))) })
        default: typed = Values(doubles: tensor.int32Data.map(Double.init))
        }
        let found = typed.floats?.count ?? typed.doubles.count
        guard found == count else {
            return .failure(.init("has \(found) values; its shape \(tensor.dims.map(String.init).joined(separator: "x")) needs \(count)"))
        }
        return .success(typed)
    }

    /// Bytes per element of the data types that can be read.
    private static let elementBytes: [Int: Int] = [1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8]

    private static func decodeRaw(_ raw: ArraySlice<UInt8>, type: Int, count: Int) -> Values {
        let base = raw.startIndex
        func word(_ i: Int, _ width: Int) -> UInt64 {
            var value: UInt64 = 0
            for b in (0..<width).reversed() { value = value << 8 | UInt64(raw[base + i * width + b]) }
            return value
        }
        switch type {
        case 1:
            var out = [Float](repeating: 0, count: count)
            out.withUnsafeMutableBytes { destination in
                raw.withUnsafeBytes { source in destination.copyMemory(from: source) }
            }
            // ONNX stores little-endian; this importer runs on little-endian hosts only (x86-64, arm64).
            return Values(floats: out)
        case 10: return Values(floats: (0..<count).map { Float(Float16(bitPattern: UInt16(word($0, 2)))) })
        case 11: return Values(doubles: (0..<count).map { Double(bitPattern: word($0, 8)) })
        case 2, 4, 9, 12, 13:
            let width = elementBytes[type] ?? 1
            return Values(doubles: (0..<count).map { Double(word($0, width)) })
        case 3: return Values(doubles: (0..<count).map { Double(Int8(truncatingIfNeeded: word($0, 1))) })
        case 5: return Values(doubles: (0..<count).map { Double(Int16(truncatingIfNeeded: word($0, 2))) })
        case 6: return Values(doubles: (0..<count).map { Double(Int32(truncatingIfNeeded: word($0, 4))) })
        default: return Values(doubles: (0..<count).map { Double(Int64(bitPattern: word($0, 8))) })
        }
    }

    /// ONNX's name of a `TensorProto.DataType`.
    public static func dataTypeName(_ type: Int) -> String {
        let names = [1: "FLOAT", 2: "UINT8", 3: "INT8", 4: "UINT16", 5: "INT16", 6: "INT32", 7: "INT64", 8: "STRING",
                     9: "BOOL", 10: "FLOAT16", 11: "DOUBLE", 12: "UINT32", 13: "UINT64", 14: "COMPLEX64",
                     15: "COMPLEX128", 16: "BFLOAT16"]
        return names[type] ?? "type \(type)"
    }
}

/// Why a tensor's values cannot be used; the caller names the tensor.
public struct ONNXValueError: Error, Sendable {
    /// What is wrong, phrased to follow the tensor's name (`has 36 bytes of raw_data; …`).
    public var reason: String
    /// An error with `reason`.
    public init(_ reason: String) { self.reason = reason }
}
