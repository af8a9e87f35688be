// Safetensors reader/writer: round trips, exact half-float decoding, every malformed-file error.
import Foundation
import ResNetCompiler
import ResNetRuntime
import Testing

/// Bytes of a safetensors image with the given header text and data buffer.
func safetensorsImage(header: String, data: [UInt8] = [], claimedLength: UInt64? = nil) -> [UInt8] {
    let text = Array(header.utf8)
    let length = claimedLength ?? UInt64(text.count)
    return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) } + text + data
}

/// The single problem reported when `bytes` is rejected, or nil if it was accepted.
func rejection(_ bytes: [UInt8]) -> WeightError? {
    do {
        _ = try SafetensorsFile(bytes: bytes, name: "bad.safetensors")
        return nil
    } catch {
        return error
    }
}

@Test func writerRoundTripsTensorsAndMetadata() throws {
    let a = Tensor(shape: [2, 3], data: [1, -2, 3.5, 0, .infinity, -0.0])
    let b = Tensor(shape: [1], data: [42])
    let bytes = SafetensorsWriter.encode([("z.weight", a), ("a.bias", b)], metadata: ["format": "pt"])
    let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
    #expect(headerLength % 8 == 0)
    let file = try SafetensorsFile(bytes: bytes, name: "rt")
    #expect(file.tensorNames == ["a.bias", "z.weight"])
    #expect(file.metadata == ["format": "pt"])
    #expect(file.info("z.weight")?.dtype == "F32")
    #expect(file.info("z.weight")?.shape == [2, 3])
    let back = try file.floatTensor("z.weight")
    #expect(back.shape == a.shape)
    #expect(back.data.map(\.bitPattern) == a.data.map(\.bitPattern))
    #expect(try file.floatTensor("a.bias") == b)
}

@Test func writerWritesAFileThatReadsBack() throws {
    let path = NSTemporaryDirectory() + "resnetc-weights-\(UInt32.random(in: 0...UInt32.max)).safetensors"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let t = Tensor(shape: [2, 2], data: [1, 2, 3, 4])
    try SafetensorsWriter.write([("w", t)], to: path)
    #expect(try SafetensorsFile(path: path).floatTensor("w") == t)
}

@Test func halfFloatBitPatternsDecodeExactly() {
    #expect(HalfPrecision.float(fromF16: 0x3C00) == 1.0)
    #expect(HalfPrecision.float(fromF16: 0xC100) == -2.5)
    #expect(HalfPrecision.float(fromF16: 0x7BFF) == 65504)
    #expect(HalfPrecision.float(fromF16: 0x0001) == Float(sign: .plus, exponent: -24, significand: 1))
    #expect(HalfPrecision.float(fromF16: 0x03FF) == Float(1023) * Float(sign: .plus, exponent: -24, significand: 1))
    #expect(HalfPrecision.float(fromF16: 0x8000).bitPattern == (-Float(0)).bitPattern)
    #expect(HalfPrecision.float(fromF16: 0x7C00) == .infinity)
    #expect(HalfPrecision.float(fromF16: 0xFC00) == -.infinity)
    #expect(HalfPrecision.float(fromF16: 0x7E00).isNaN)
    #expect(HalfPrecision.float(fromBF16: 0x3F80) == 1.0)
    #expect(HalfPrecision.float(fromBF16: 0xC020) == -2.5)
    #expect(HalfPrecision.float(fromBF16: 0x7F80) == .infinity)
    #expect(HalfPrecision.float(fromBF16: 0x0001) == Float(bitPattern: 0x0001_0000))
    #expect(HalfPrecision.float(fromBF16: 0x7FC0).isNaN)
}

@Test func f16AndBF16TensorsDecodeFromAFile() throws {
    let header = #"{"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[6,10]},"n":{"dtype":"I64","shape":[],"data_offsets":[10,18]}}"#
    let data: [UInt8] = [0x00, 0x3C, 0x00, 0xC1, 0xFF, 0x7B, 0x80, 0x3F, 0x20, 0xC0] + [UInt8](repeating: 0, count: 8)
    let file = try SafetensorsFile(bytes: safetensorsImage(header: header, data: data), name: "half")
    #expect(try file.floatTensor("h").data == [1, -2.5, 65504])
    #expect(try file.floatTensor("b").data == [1, -2.5])
    #expect(file.info("n")?.dtype == "I64")
    #expect(file.info("n")?.shape == [])
    #expect(throws: WeightError(file: "half", problems: [
        "tensor 'n' has dtype I64; only F32, F16 and BF16 can be used as weights",
    ])) { try file.floatTensor("n") }
}

@Test func malformedFilesAreRejectedWithExactMessages() {
    let entry = { (body: String) in safetensorsImage(header: "{\"w\":\(body)}", data: [0, 0, 0, 0]) }
    let cases: [([UInt8], String)] = [
        ([1, 2, 3], "file is too short for a safetensors header (3 bytes)"),
        (safetensorsImage(header: "{}", claimedLength: 50), "header length 50 exceeds the file size (10 bytes)"),
        (safetensorsImage(header: "{}", claimedLength: 1 << 40), "header length 1099511627776 exceeds the 100 MiB limit"),
        (safetensorsImage(header: "{\"w\":"), "header is not valid JSON"),
        (safetensorsImage(header: "[1]"), "header is not a JSON object"),
        (entry("3"), "tensor 'w': entry is not an object"),
        (entry(#"{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}"#), "tensor 'w': unknown field 'x'"),
        (entry(#"{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}"#), "tensor 'w': unknown dtype 'Q7'"),
        (entry(#"{"shape":[1],"data_offsets":[0,4]}"#), "tensor 'w': missing or invalid dtype"),
        (entry(#"{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}"#), "tensor 'w': shape must be a list of non-negative integers"),
        (entry(#"{"dtype":"F32","shape":[1],"data_offsets":[0]}"#), "tensor 'w': data_offsets must be two non-negative integers"),
        (entry(#"{"dtype":"F32","shape":[1],"data_offsets":[4,0]}"#), "tensor 'w': data_offsets begin 4 is after end 0"),
        (entry(#"{"dtype":"F32","shape":[1],"data_offsets":[4,8]}"#), "tensor 'w': data_offsets [4, 8] lie outside the data buffer (4 bytes)"),
        (entry(#"{"dtype":"F32","shape":[2],"data_offsets":[0,4]}"#), "tensor 'w': data_offsets span 4 bytes but F32 [2] needs 8"),
        (entry(#"{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}"#), "tensor 'w': shape 4294967296x4294967296 is too large"),
        (safetensorsImage(header: #"{"__metadata__":{"a":1}}"#), "__metadata__ 'a' is not a string"),
    ]
    for (bytes, message) in cases {
        #expect(rejection(bytes) == WeightError(file: "bad.safetensors", problems: [message]))
    }
    #expect(rejection([1, 2, 3])?.description
        == "bad.safetensors: 1 problem(s) with the weights:\n  - file is too short for a safetensors header (3 bytes)")
}

@Test func unreadableFileNamesThePath() {
    #expect(throws: WeightError(file: "/nonexistent/x.safetensors", problems: ["cannot read the file"])) {
        try SafetensorsFile(path: "/nonexistent/x.safetensors")
    }
}
