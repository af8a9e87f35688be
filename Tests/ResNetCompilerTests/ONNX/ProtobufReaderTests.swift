// The protobuf wire decoder on hand-written bytes: varints, fixed-width values, packed
// repeated fields, and the exact errors for truncated or malformed data.
import ResNetCompiler
import Testing

@Suite("Protobuf reader")
struct ProtobufReaderTests {
    @Test("varints: one byte, multi-byte, the 64-bit maximum and negative int64")
    func varints() throws {
        var reader = ProtobufReader(bytes: [0x01, 0xac, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
                                            0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])
        #expect(try reader.readVarint() == 1)
        #expect(try reader.readVarint() == 300)
        #expect(try reader.readVarint() == UInt64.max)
        #expect(try reader.readInt64() == -2)
        #expect(reader.isAtEnd)
    }

    @Test("a varint cut short, or longer than 64 bits, is an error at its first byte")
    func badVarints() {
        var truncated = ProtobufReader(bytes: [0x05, 0xff, 0xff])
        _ = try? truncated.readVarint()
        #expect(throws: ProtobufError(offset: 1, message: "varint runs past the end of the data")) { try truncated.readVarint() }
        var long = ProtobufReader(bytes: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02])
        #expect(throws: ProtobufError(offset: 0, message: "varint is longer than 64 bits")) { try long.readVarint() }
    }

    @Test("field keys, fixed-width values, strings and skipping")
    func fields() throws {
        // field 1 varint 150; field 2 "hi"; field 3 fixed32 1.5; field 4 fixed64 -2.0
        var bytes: [UInt8] = [0x08, 0x96, 0x01, 0x12, 0x02, 0x68, 0x69, 0x1d]
        bytes += withUnsafeBytes(of: Float(1.5).bitPattern.littleEndian, Array.init)
        bytes += [0x21] + withUnsafeBytes(of: Double(-2).bitPattern.littleEndian, Array.init)
        var reader = ProtobufReader(bytes: bytes)
        #expect(try reader.nextField()! == (1, .varint))
        #expect(try reader.readVarint() == 150)
        #expect(try reader.nextField()! == (2, .lengthDelimited))
        #expect(try reader.readString() == "hi")
        #expect(try reader.nextField()! == (3, .fixed32))
        #expect(Float(bitPattern: try reader.readFixed32()) == 1.5)
        #expect(try reader.nextField()! == (4, .fixed64))
        try reader.skip(.fixed64)
        #expect(try reader.nextField() == nil)
    }

    @Test("packed and unpacked repeated integers and floats")
    func repeated() throws {
        var ints: [Int64] = []
        var packed = ProtobufReader(bytes: [0x03, 0x01, 0xac, 0x02])
        try packed.readRepeatedInt64(.lengthDelimited, into: &ints)
        var single = ProtobufReader(bytes: [0x07])
        try single.readRepeatedInt64(.varint, into: &ints)
        #expect(ints == [1, 300, 7])
        var floats: [Float] = []
        var packedFloats = ProtobufReader(bytes: [0x08] + [Float(0.5), -3].flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
        try packedFloats.readRepeatedFloat(.lengthDelimited, into: &floats)
        #expect(floats == [0.5, -3])
        var ragged = ProtobufReader(bytes: [0x03, 0, 0, 0])
        #expect(throws: ProtobufError(offset: 0, message: "packed floats take 3 bytes, not a multiple of 4")) {
            try ragged.readRepeatedFloat(.lengthDelimited, into: &floats)
        }
    }

    @Test("lengths past the end, group wire types, field number 0 and bad UTF-8 are errors")
    func malformed() {
        var long = ProtobufReader(bytes: [0x12, 0x05, 0x61])
        _ = try? long.nextField()
        #expect(throws: ProtobufError(offset: 1, message: "length 5 runs past the end of the data (1 bytes left)")) {
            try long.readLengthDelimited()
        }
        var group = ProtobufReader(bytes: [0x0b])
        #expect(throws: ProtobufError(offset: 0, message: "field 1 has unsupported wire type 3")) { try group.nextField() }
        var zero = ProtobufReader(bytes: [0x00, 0x00])
        #expect(throws: ProtobufError(offset: 0, message: "invalid field number 0")) { try zero.nextField() }
        var fixed = ProtobufReader(bytes: [0x01, 0x02])
        #expect(throws: ProtobufError(offset: 0, message: "32-bit value runs past the end of the data")) { try fixed.readFixed32() }
        var utf8 = ProtobufReader(bytes: [0x02, 0xff, 0xfe])
        #expect(throws: ProtobufError(offset: 0, message: "string is not valid UTF-8")) { try utf8.readString() }
    }
}
