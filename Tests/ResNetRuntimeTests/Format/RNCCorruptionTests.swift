// Every way a `.rnc` image can be damaged maps to the exact typed error, in the documented order.

import Foundation
import ResNetRuntime
import Testing

@Suite("RNC corruption")
struct RNCCorruptionTests {
    private let builder = sampleBuilder()
    private var good: [UInt8] { (try? RNCFile.encode(plan: builder.plan, weights: builder.weights)) ?? [] }
    private var weightsOffset: Int { field(good, 32) }
    private var planLength: Int { field(good, 24) }

    /// The u64 header field at `offset`.
    private func field(_ bytes: [UInt8], _ offset: Int) -> Int {
        Int(UInt64(littleEndian: bytes[offset..<offset + 8].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }))
    }

    /// `bytes` with the u64 header field at `offset` replaced.
    private func patched(_ bytes: [UInt8], _ offset: Int, _ value: UInt64) -> [UInt8] {
        var copy = bytes
        withUnsafeBytes(of: value.littleEndian) { copy.replaceSubrange(offset..<offset + 8, with: $0) }
        return copy
    }

    @Test("empty file")
    func empty() throws {
        #expect(throws: RuntimeError.truncated(path: "<memory>", expected: 64, found: 0)) { try Model(bytes: []) }
        let path = temporaryPath(".rnc")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        #expect(throws: RuntimeError.truncated(path: path, expected: 64, found: 0)) { try Model(contentsOf: path) }
    }

    @Test("wrong magic")
    func wrongMagic() {
        var bytes = good
        bytes[0] = UInt8(ascii: "X")
        #expect(throws: RuntimeError.notAModel(path: "<memory>")) { try Model(bytes: bytes) }
        #expect(RuntimeError.notAModel(path: "m.rnc").description == "m.rnc: not a resnetc model (bad magic bytes)")
    }

    @Test("version 2")
    func version2() throws {
        let bytes = rawRNC(planJSON: try planJSON(builder.plan), weights: builder.weights, version: 2)
        let error = RuntimeError.unsupportedVersion(path: "<memory>", found: 2, supported: 1)
        #expect(throws: error) { try Model(bytes: bytes) }
        #expect(error.description == "<memory>: unsupported model format version 2 (this runtime reads version 1)")
    }

    @Test("truncated at several points")
    func truncated() {
        let bytes = good
        #expect(throws: RuntimeError.truncated(path: "<memory>", expected: 64, found: 10)) { try Model(bytes: Array(bytes[..<10])) }
        for cut in [64, 100, weightsOffset, weightsOffset + 4, bytes.count - 1] {
            #expect(throws: RuntimeError.truncated(path: "<memory>", expected: bytes.count, found: cut)) {
                try Model(bytes: Array(bytes[..<cut]))
            }
        }
    }

    @Test("flipped byte in the plan and in the weights", arguments: [70, 200, -1, -40])
    func flippedByte(position: Int) {
        var bytes = good
        let index = position >= 0 ? position : bytes.count + position
        bytes[index] ^= 0x01
        let stored = UInt64(littleEndian: bytes[48..<56].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let actual = Checksum.hash(Array(bytes[64...]))
        #expect(throws: RuntimeError.checksumMismatch(path: "<memory>", expected: stored, found: actual)) {
            try Model(bytes: bytes)
        }
    }

    @Test("malformed JSON plan")
    func malformedJSON() {
        let bytes = rawRNC(planJSON: Array("{\"name\": 3}".utf8), weights: [])
        #expect(throws: RuntimeError.self) { try Model(bytes: bytes) }
        do {
            _ = try Model(bytes: bytes)
        } catch {
            guard case .malformedPlan(let path, _) = error else {
                Issue.record("expected malformedPlan, got \(error)")
                return
            }
            #expect(path == "<memory>")
        }
    }

    @Test("inconsistent header layout")
    func corruptHeader() {
        let misaligned = patched(good, 32, UInt64(weightsOffset + 4))
        #expect(throws: RuntimeError.corruptHeader(path: "<memory>", reason: "weights offset \(weightsOffset + 4) is not a multiple of 64 after the plan (ends at \(64 + planLength))")) {
            try Model(bytes: misaligned)
        }
        let planOffset = patched(good, 16, 128)
        #expect(throws: RuntimeError.corruptHeader(path: "<memory>", reason: "plan offset 128, expected 64")) {
            try Model(bytes: planOffset)
        }
        let huge = patched(good, 40, UInt64.max)
        #expect(throws: RuntimeError.corruptHeader(path: "<memory>", reason: "section sizes are impossibly large")) {
            try Model(bytes: huge)
        }
    }

    @Test("file errors name the path")
    func fileErrors() {
        let missing = "/nonexistent/model.rnc"
        #expect(throws: RuntimeError.fileNotFound(path: missing)) { try Model(contentsOf: missing) }
        #expect(RuntimeError.fileNotFound(path: missing).description == "/nonexistent/model.rnc: no such file")
        let directory = FileManager.default.temporaryDirectory.path
        #expect(throws: RuntimeError.unreadable(path: directory, reason: "not a regular file")) {
            try Model(contentsOf: directory)
        }
    }

    @Test("a stored plan that fails validation")
    func weightCountMismatch() throws {
        let bytes = rawRNC(planJSON: try planJSON(builder.plan), weights: builder.weights + [0])
        #expect(throws: RuntimeError.invalidPlan(step: "plan", reason: "the file holds \(builder.weights.count + 1) weight floats, the plan declares \(builder.weights.count)")) {
            try Model(bytes: bytes)
        }
    }
}
