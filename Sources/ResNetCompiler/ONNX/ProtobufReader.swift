// The protobuf wire format, read defensively: varints, fixed 32/64-bit values, length-delimited
// fields and packed repeated scalars, every length checked against the bytes that remain.

/// A malformed protobuf: what was wrong and the byte offset where it was found.
public struct ProtobufError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Offset of the first byte of the bad item, from the start of the buffer.
    public var offset: Int
    /// What is wrong, e.g. `varint runs past the end of the data`.
    public var message: String
    /// The message being read, e.g. `GraphProto.node[3]` (set by the innermost decoder).
    public var context: String?

    /// An error at `offset`, optionally naming the message being read.
    public init(offset: Int, message: String, context: String? = nil) {
        self.offset = offset
        self.message = message
        self.context = context
    }

    /// `at byte N in Context: message`.
    public var description: String {
        "at byte \(offset)" + (context.map { " in \($0)" } ?? "") + ": \(message)"
    }
}

/// The wire type in the low 3 bits of a field key.
public enum WireType: Int, Sendable, Equatable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5

    /// How the type is named in messages.
    public var name: String {
        switch self {
        case .varint: return "varint"
        case .fixed64: return "64-bit"
        case .lengthDelimited: return "length-delimited"
        case .fixed32: return "32-bit"
        }
    }
}

/// A cursor over `bytes[start..<end]` (one message). Copying a reader is cheap: the bytes are shared.
public struct ProtobufReader: Sendable {
    /// The whole buffer (nested readers share it).
    public let bytes: [UInt8]
    /// The next byte to read.
    public private(set) var position: Int
    /// One past the last byte of this message.
    public let end: Int

    /// A reader over the whole buffer.
    public init(bytes: [UInt8]) {
        self.init(bytes: bytes, range: 0..<bytes.count)
    }

    /// A reader over `range` of `bytes` (the range must lie within the buffer).
    public init(bytes: [UInt8], range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "reader range outside its buffer")
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    /// Whether every byte of the message has been read.
    public var isAtEnd: Bool { position >= end }

    /// The next field's number and wire type, or nil at the end of the message.
    public mutating func nextField() throws(ProtobufError) -> (number: Int, wireType: WireType)? {
        guard !isAtEnd else { return nil }
        let start = position
        let key = try readVarint()
        let number = key >> 3
        guard number >= 1, number <= 536_870_911 else {
            throw ProtobufError(offset: start, message: "invalid field number \(number)")
        }
        guard let wireType = WireType(rawValue: Int(key & 7)) else {
            throw ProtobufError(offset: start, message: "field \(number) has unsupported wire type \(key & 7)")
        }
        return (Int(number), wireType)
    }

    /// A base-128 varint of at most 10 bytes.
    public mutating func readVarint() throws(ProtobufError) -> UInt64 {
        let start = position
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else {
                throw ProtobufError(offset: start, message: "varint runs past the end of the data")
            }
            let byte = bytes[position]
            position += 1
            if shift == 63 && byte > 1 {
                throw ProtobufError(offset: start, message: "varint is longer than 64 bits")
            }
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// A varint read as a signed 64-bit integer (two's complement, as int32/int64 fields are).
    public mutating func readInt64() throws(ProtobufError) -> Int64 {
        Int64(bitPattern: try readVarint())
    }

    /// Four little-endian bytes.
    public mutating func readFixed32() throws(ProtobufError) -> UInt32 {
        let range = try take(4, what: "32-bit value")
        var value: UInt32 = 0
        for i in range.reversed() { value = value << 8 | UInt32(bytes[i]) }
        return value
    }

    /// Eight little-endian bytes.
    public mutating func readFixed64() throws(ProtobufError) -> UInt64 {
        let range = try take(8, what: "64-bit value")
        var value: UInt64 = 0
        for i in range.reversed() { value = value << 8 | UInt64(bytes[i]) }
        return value
    }

    /// The byte range of a length-delimited field's payload.
    public mutating func readLengthDelimited() throws(ProtobufError) -> Range<Int> {
        let start = position
        let length = try readVarint()
        guard length <= UInt64(end - position) else {
            throw ProtobufError(offset: start, message: "length \(length) runs past the end of the data (\(end - position) bytes left)")
        }
        return try take(Int(length), what: "field")
    }

    /// A reader over an embedded message.
    public mutating func readMessage() throws(ProtobufError) -> ProtobufReader {
        ProtobufReader(bytes: bytes, range: try readLengthDelimited())
    }

    /// A UTF-8 string field.
    public mutating func readString() throws(ProtobufError) -> String {
        let start = position
        let range = try readLengthDelimited()
        guard let text = String(validating: bytes[range], as: UTF8.self) else {
            throw ProtobufError(offset: start, message: "string is not valid UTF-8")
        }
        return text
    }

    /// Skips a field's value of the given wire type.
    public mutating func skip(_ wireType: WireType) throws(ProtobufError) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try take(8, what: "64-bit value")
        case .lengthDelimited: _ = try readLengthDelimited()
        case .fixed32: _ = try take(4, what: "32-bit value")
        }
    }

    /// Appends a repeated integer field: one varint, or a packed run of them.
    public mutating func readRepeatedInt64(_ wireType: WireType, into values: inout [Int64]) throws(ProtobufError) {
        switch wireType {
        case .varint:
            values.append(try readInt64())
        case .lengthDelimited:
            var packed = try readMessage()
            while !packed.isAtEnd { values.append(try packed.readInt64()) }
        default:
            throw ProtobufError(offset: position, message: "repeated integer field has wire type \(wireType.name)")
        }
    }

    /// Appends a repeated float field: one 32-bit value, or a packed run of them.
    public mutating func readRepeatedFloat(_ wireType: WireType, into values: inout [Float]) throws(ProtobufError) {
        switch wireType {
        case .fixed32:
            values.append(Float(bitPattern: try readFixed32()))
        case .lengthDelimited:
            let start = position
            let range = try readLengthDelimited()
            guard range.count % 4 == 0 else {
                throw ProtobufError(offset: start, message: "packed floats take \(range.count) bytes, not a multiple of 4")
            }
            values.reserveCapacity(values.count + range.count / 4)
            var packed = ProtobufReader(bytes: bytes, range: range)
            while !packed.isAtEnd { values.append(Float(bitPattern: try packed.readFixed32())) }
        default:
            throw ProtobufError(offset: position, message: "repeated float field has wire type \(wireType.name)")
        }
    }

    /// Appends a repeated double field: one 64-bit value, or a packed run of them.
    public mutating func readRepeatedDouble(_ wireType: WireType, into values: inout [Double]) throws(ProtobufError) {
        switch wireType {
        case .fixed64:
            values.append(Double(bitPattern: try readFixed64()))
        case .lengthDelimited:
            let start = position
            let range = try readLengthDelimited()
            guard range.count % 8 == 0 else {
                throw ProtobufError(offset: start, message: "packed doubles take \(range.count) bytes, not a multiple of 8")
            }
            var packed = ProtobufReader(bytes: bytes, range: range)
            while !packed.isAtEnd { values.append(Double(bitPattern: try packed.readFixed64())) }
        default:
            throw ProtobufError(offset: position, message: "repeated double field has wire type \(wireType.name)")
        }
    }

    /// Checks a field's wire type before reading it.
    public func expect(_ wireType: WireType, _ actual: WireType, field: String) throws(ProtobufError) {
        guard wireType == actual else {
            throw ProtobufError(offset: position, message: "field '\(field)' has wire type \(actual.name), expected \(wireType.name)")
        }
    }

    /// Advances past `count` bytes and returns their range.
    private mutating func take(_ count: Int, what: String) throws(ProtobufError) -> Range<Int> {
        guard count <= end - position else {
            throw ProtobufError(offset: position, message: "\(what) runs past the end of the data")
        }
        defer { position += count }
        return position..<(position + count)
    }
}
