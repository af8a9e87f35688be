// `.rnc` round trips: encode → Model(bytes:), write → mmap Model; same plan, weights and outputs.

import Foundation
import ResNetRuntime
import Testing

@Suite("RNC round trip")
struct RNCRoundTripTests {
    @Test("bytes and mapped file give the same plan, weights and outputs")
    func roundTrip() throws {
        let builder = sampleBuilder()
        let direct = try builder.model()
        let bytes = try RNCFile.encode(plan: builder.plan, weights: builder.weights)
        let fromBytes = try Model(bytes: bytes)
        let path = temporaryPath(".rnc")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try RNCFile.write(plan: builder.plan, weights: builder.weights, to: path)
        let mapped = try Model(contentsOf: path)

        for model in [fromBytes, mapped] {
            #expect(model.plan == builder.plan)
            #expect(model.withWeights { Array($0) } == builder.weights)
            #expect(model.inputs == [TensorDescriptor(name: "image", shape: [1, 3, 8, 8])])
            #expect(model.outputs.map(\.name) == ["probabilities"])
            #expect(model.outputs.map(\.shape) == [[1, 5]])
        }
        let image = sampleImage()
        let expected = try Session(model: direct).run([image])
        #expect(try Session(model: fromBytes).run([image]) == expected)
        #expect(try Session(model: mapped).run([image]) == expected)
        #expect(expected[0].data.reduce(0, +) > 0.999 && expected[0].data.reduce(0, +) < 1.001)
    }

    @Test("header fields follow the documented layout")
    func headerLayout() throws {
        let builder = sampleBuilder()
        let bytes = try RNCFile.encode(plan: builder.plan, weights: builder.weights)
        func u64(_ at: Int) -> Int { Int(bytes[at..<at + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }) }
        #expect(Array(bytes[0..<8]) == Array("RESNETC".utf8) + [0])
        #expect(bytes[8..<16] == [1, 0, 0, 0, 64, 0, 0, 0])
        #expect(u64(16) == 64)
        let json = try planJSON(builder.plan)
        #expect(u64(24) == json.count)
        #expect(Array(bytes[64..<64 + json.count]) == json)
        #expect(u64(32) % 64 == 0 && u64(32) >= 64 + json.count)
        #expect(u64(40) == 4 * builder.weights.count)
        #expect(u64(32) + u64(40) == bytes.count)
        #expect(UInt64(u64(48)) == Checksum.hash(Array(bytes[64...])))
        #expect(bytes[56..<64].allSatisfy { $0 == 0 })
        // The raw writer built from the spec produces the very same bytes.
        #expect(rawRNC(planJSON: json, weights: builder.weights) == bytes)
    }

    @Test("the checksum sees every byte, including a tail shorter than a word")
    func checksumSensitivity() {
        let base: [UInt8] = Array(0..<45)
        let hash = Checksum.hash(base)
        for i in base.indices {
            var copy = base
            copy[i] ^= 0x10
            #expect(Checksum.hash(copy) != hash, "byte \(i)")
        }
        #expect(Checksum.hash(base + [0]) != hash)
        #expect(Checksum.hash([UInt8]()) != Checksum.hash([0]))
    }

    @Test("encode refuses a weight blob of the wrong size")
    func wrongWeightCount() throws {
        let builder = sampleBuilder()
        #expect(throws: RuntimeError.invalidPlan(step: "plan", reason: "weight blob has 3 floats, the plan declares \(builder.weights.count)")) {
            try RNCFile.encode(plan: builder.plan, weights: [1, 2, 3])
        }
    }
}
