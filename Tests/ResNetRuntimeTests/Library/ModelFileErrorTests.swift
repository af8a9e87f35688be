// Damaged `.rnc` files on disk — read through the memory-mapped path, not from bytes — give the
// matching typed error naming the file: an older or newer format version, a truncated file,
// a flipped byte. (RNCCorruptionTests covers every header check on in-memory images.)
import Foundation
import ResNetRuntime
import Testing

@Suite("Model file errors")
struct ModelFileErrorTests {
    private let builder = sampleBuilder()

    /// Writes `bytes` to a fresh temporary `.rnc` file, loads it, removes it, returns the error.
    private func loadError(_ bytes: [UInt8]) -> (path: String, error: RuntimeError?) {
        let path = temporaryPath(".rnc")
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            Issue.record("cannot write \(path)")
            return (path, nil)
        }
        do {
            _ = try Model(contentsOf: path)
            return (path, nil)
        } catch {
            return (path, error)
        }
    }

    private var good: [UInt8] { (try? RNCFile.encode(plan: builder.plan, weights: builder.weights)) ?? [] }

    @Test("a good file loads, describes itself and runs like the in-memory model")
    func goodFile() throws {
        let path = temporaryPath(".rnc")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try RNCFile.write(plan: builder.plan, weights: builder.weights, to: path)
        let model = try Model(contentsOf: path)
        #expect(model.inputs == [TensorDescriptor(name: "image", shape: [1, 3, 8, 8])])
        #expect(model.outputs == [TensorDescriptor(name: "probabilities", shape: [1, 5])])
        #expect(model.inputs[0].count == 192)
        #expect("\(model.inputs) \(model.outputs)" == "[image 1x3x8x8] [probabilities 1x5]")
        let fromFile = try Session(model: model).run([sampleImage()])
        let inMemory = try Session(model: try builder.model()).run([sampleImage()])
        #expect(fromFile.map { $0.data.map(\.bitPattern) } == inMemory.map { $0.data.map(\.bitPattern) })
    }

    @Test("older and newer format versions", arguments: [UInt32(0), 2, 7, UInt32.max])
    func otherVersion(version: UInt32) throws {
        let bytes = rawRNC(planJSON: try planJSON(builder.plan), weights: builder.weights, version: version)
        let (path, error) = loadError(bytes)
        #expect(error == .unsupportedVersion(path: path, found: version, supported: RNCLayout.version))
        #expect(error?.description == "\(path): unsupported model format version \(version) (this runtime reads version 1)")
    }

    @Test("a file cut short in the header, the plan or the weights", arguments: [0, 63, 64, 300, -4, -1])
    func truncatedFile(cut: Int) {
        let bytes = good
        let length = cut >= 0 ? cut : bytes.count + cut
        let (path, error) = loadError(Array(bytes[..<length]))
        let expected = length < 64 ? 64 : bytes.count
        #expect(error == .truncated(path: path, expected: expected, found: length))
        #expect(error?.description == "\(path): truncated: expected at least \(expected) bytes, found \(length)")
    }

    @Test("one flipped bit in the plan or the weights", arguments: [64, 100, -1, -200])
    func flippedByte(position: Int) {
        var bytes = good
        let index = position >= 0 ? position : bytes.count + position
        bytes[index] ^= 0x10
        let (path, error) = loadError(bytes)
        guard case .checksumMismatch(let errorPath, let stored, let actual)? = error else {
            Issue.record("expected checksumMismatch, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path)
        #expect(stored != actual)
        #expect(actual == Checksum.hash(Array(bytes[64...])))
    }

    @Test("the types an embedder shares across threads are Sendable")
    func sendable() {
        func requireSendable<T: Sendable>(_: T.Type) -> Bool { true }
        #expect(requireSendable(Model.self))
        #expect(requireSendable(TensorDescriptor.self))
        #expect(requireSendable(Tensor.self))
        #expect(requireSendable(RuntimeError.self))
    }
}
