// A tiny protobuf encoder for the ONNX tests: hand-made models and malformed byte strings.

enum ProtobufTestEncoder {
    static func varint(_ value: UInt64) -> [UInt8] {
        var v = value, out: [UInt8] = []
        repeat {
            out.append(UInt8(v & 0x7f) | (v >= 0x80 ? 0x80 : 0))
            v >>= 7
        } while v != 0
        return out
    }

    /// A varint field.
    static func field(_ number: Int, int value: Int64) -> [UInt8] {
        varint(UInt64(number << 3)) + varint(UInt64(bitPattern: value))
    }

    /// A length-delimited field (embedded message, bytes or string).
    static func field(_ number: Int, bytes: [UInt8]) -> [UInt8] {
        varint(UInt64(number << 3 | 2)) + varint(UInt64(bytes.count)) + bytes
    }

    static func field(_ number: Int, string: String) -> [UInt8] { field(number, bytes: Array(string.utf8)) }

    /// `ValueInfoProto` of a float tensor with the given dims.
    static func valueInfo(_ name: String, dims: [Int]) -> [UInt8] {
        let shape = dims.flatMap { field(1, bytes: field(1, int: Int64($0))) }
        let tensorType = field(1, int: 1) + field(2, bytes: shape)
        return field(1, string: name) + field(2, bytes: field(1, bytes: tensorType))
    }

    /// `NodeProto`.
    static func node(_ op: String, name: String, inputs: [String], outputs: [String]) -> [UInt8] {
        inputs.flatMap { field(1, string: $0) } + outputs.flatMap { field(2, string: $0) } + field(3, string: name) + field(4, string: op)
    }

    /// A `ModelProto` importing `opset`, whose graph reads `x` [1, 4] and runs `nodes` to `y`.
    static func model(opset: Int, nodes: [[UInt8]], inputs: [[UInt8]] = [valueInfo("x", dims: [1, 4])]) -> [UInt8] {
        let graph = nodes.flatMap { field(1, bytes: $0) } + field(2, string: "g")
            + inputs.flatMap { field(11, bytes: $0) } + field(12, bytes: valueInfo("y", dims: [1, 4]))
        return field(1, int: 8) + field(2, string: "test") + field(7, bytes: graph)
            + field(8, bytes: field(1, string: "") + field(2, int: Int64(opset)))
    }

    /// `AttributeProto` with an int list (type INTS), an int (INT) or a string (STRING).
    static func attribute(_ name: String, ints: [Int]) -> [UInt8] {
        field(1, string: name) + ints.flatMap { field(8, int: Int64($0)) } + field(20, int: 7)
    }

    static func attribute(_ name: String, int value: Int) -> [UInt8] {
        field(1, string: name) + field(3, int: Int64(value)) + field(20, int: 2)
    }

    static func attribute(_ name: String, string value: String) -> [UInt8] {
        field(1, string: name) + field(4, string: value) + field(20, int: 3)
    }

    /// A FLOAT (or INT64 when `int64`) `TensorProto` with raw_data; `dropBytes` cuts raw_data short.
    static func tensor(_ name: String, dims: [Int], values: [Double], int64: Bool = false, dropBytes: Int = 0) -> [UInt8] {
        var raw: [UInt8] = []
        for v in values {
            raw += int64 ? withUnsafeBytes(of: Int64(v).littleEndian, Array.init) : withUnsafeBytes(of: Float(v).bitPattern.littleEndian, Array.init)
        }
        return dims.flatMap { field(1, int: Int64($0)) } + field(2, int: int64 ? 7 : 1) + field(8, string: name)
            + field(9, bytes: Array(raw.dropLast(dropBytes)))
    }

    /// A node with attributes appended.
    static func node(_ op: String, name: String, inputs: [String], outputs: [String], attributes: [[UInt8]]) -> [UInt8] {
        node(op, name: name, inputs: inputs, outputs: outputs) + attributes.flatMap { field(5, bytes: $0) }
    }

    /// A model reading `x` [1, 2, 4, 4] with the given initializers.
    static func imageModel(nodes: [[UInt8]], initializers: [[UInt8]]) -> [UInt8] {
        let graph = nodes.flatMap { field(1, bytes: $0) } + initializers.flatMap { field(5, bytes: $0) }
            + field(11, bytes: valueInfo("x", dims: [1, 2, 4, 4])) + field(12, bytes: valueInfo("y", dims: [1]))
        return field(7, bytes: graph) + field(8, bytes: field(2, int: 17))
    }
}
