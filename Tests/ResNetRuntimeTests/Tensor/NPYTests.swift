// .npy reading and writing: round trips, the exact v1.0 layout, other dtypes/versions, and
// malformed headers or data that must produce a clear error.

import Foundation
import ResNetRuntime
import Testing

@Suite("NPY")
struct NPYTests {
    /// A `.npy` image with the given header text (padded) and raw data.
    private func npy(_ header: String, data: [UInt8], major: UInt8 = 1) -> [UInt8] {
        let prefix = major == 1 ? 10 : 12
        var text = header
        while (prefix + text.utf8.count + 1) % 64 != 0 { text += " " }
        text += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, 0]
        var length = text.utf8.count
        for _ in 0..<(prefix - 8) { bytes.append(UInt8(length & 0xff)); length >>= 8 }
        return bytes + Array(text.utf8) + data
    }

    private func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    private func expectError(_ bytes: [UInt8], _ reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: RuntimeError.npy(path: "t.npy", reason: reason), sourceLocation: sourceLocation) {
            try NPY.decode(bytes: bytes, name: "t.npy")
        }
    }

    @Test("round trip", arguments: [[], [3], [2, 3, 4], [1, 0, 2]])
    func roundTrip(shape: [Int]) throws {
        var random = SeededRandom(seed: 8)
        let tensor = Tensor(shape: shape, data: random.floats(shape.reduce(1, *)))
        let bytes = NPY.encode(tensor)
        #expect(try NPY.decode(bytes: bytes, name: "mem") == tensor)
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        #expect(bytes.count == 10 + headerLength + 4 * tensor.count)
    }

    @Test("writes the exact NumPy v1.0 header")
    func exactHeader() {
        let bytes = NPY.encode(Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6]))
        let header = String(decoding: bytes[10..<128], as: UTF8.self)
        #expect(Array(bytes[0..<10]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, 118, 0])
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"))
        #expect(header.hasSuffix(" \n"))
        #expect(Array(bytes[128..<132]) == le(Float(1).bitPattern))
        let one = NPY.encode(Tensor(shape: [4], data: [0, 0, 0, 0]))
        #expect(String(decoding: one[10..<128], as: UTF8.self).contains("'shape': (4,), }"))
    }

    @Test("file round trip and missing file")
    func files() throws {
        let path = temporaryPath(".npy")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let tensor = Tensor(shape: [1, 2, 2], data: [1, -2, 3.5, 4])
        try NPY.write(tensor, to: path)
        #expect(try NPY.read(path: path) == tensor)
        #expect(throws: RuntimeError.fileNotFound(path: "/nonexistent/x.npy")) { try NPY.read(path: "/nonexistent/x.npy") }
    }

    @Test("other dtypes, byte orders and versions convert to Float")
    func otherTypes() throws {
        let f8 = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", data: le(1.5.bitPattern) + le((-2.25).bitPattern))
        #expect(try NPY.decode(bytes: f8, name: "f8") == Tensor(shape: [2], data: [1.5, -2.25]))
        let u1 = npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 3), }", data: [0, 7, 255])
        #expect(try NPY.decode(bytes: u1, name: "u1") == Tensor(shape: [1, 3], data: [0, 7, 255]))
        let i8 = npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", data: le(Int64(-3)) + le(Int64(40)))
        #expect(try NPY.decode(bytes: i8, name: "i8") == Tensor(shape: [2], data: [-3, 40]))
        let be = npy("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", data: le(Float(2).bitPattern.bigEndian))
        #expect(try NPY.decode(bytes: be, name: "be") == Tensor(shape: [1], data: [2]))
        let v2 = npy("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2L, 1), }", data: le(Float(1).bitPattern) + le(Float(3).bitPattern), major: 2)
        #expect(try NPY.decode(bytes: v2, name: "v2") == Tensor(shape: [2, 1], data: [1, 3]))
        let v3 = npy("{'shape': (1,), 'fortran_order': False, 'descr': '<f4'}", data: le(Float(9).bitPattern), major: 3)
        #expect(try NPY.decode(bytes: v3, name: "v3") == Tensor(shape: [1], data: [9]))
    }

    @Test("malformed files give clear errors")
    func malformed() {
        let f4 = le(Float(1).bitPattern)
        expectError([], "missing the \\x93NUMPY magic")
        expectError(Array("NUMPY12345".utf8), "missing the \\x93NUMPY magic")
        expectError(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", data: f4, major: 4), "unsupported format version 4.0")
        expectError(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", data: f4),
                    "Fortran-order arrays are not supported; save with C order")
        expectError(npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", data: f4),
                    "unsupported dtype '<c8' (expected <f4, <f8, |u1, <i4 or <i8)")
        expectError(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", data: f4),
                    "shape 2x3 of <f4 needs 24 data bytes, found 4")
        expectError(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4), }", data: f4),
                    "shape 4294967296x4294967296x4 overflows")
        expectError(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", data: f4),
                    "header has a dimension that overflows (at character 69)")
        expectError(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, -2), }", data: f4),
                    "header expected a non-negative integer in the shape (at character 54)")
        expectError(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2 }", data: f4),
                    "header expected ',' or ')' in the shape (at character 56)")
        expectError(npy("{'descr': '<f4', 'fortran_order': False}", data: f4), "header missing or non-tuple 'shape' (at character 54)")
        expectError(npy("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (1,), }", data: f4),
                    "header has an unexpected value (at character 34)")
        expectError(npy("garbage", data: f4), "header expected '{' (at character 0)")
        var truncated = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", data: f4)
        truncated[8] = 0xff
        expectError(truncated, "header of 255 bytes runs past the end of the data (132 bytes)")
    }
}
