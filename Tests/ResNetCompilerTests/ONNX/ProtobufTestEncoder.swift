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
}
