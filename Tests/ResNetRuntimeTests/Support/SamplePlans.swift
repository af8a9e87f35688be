// A small residual network plan used by the format and session tests, and a raw `.rnc` writer
// written from the spec so tests can store plans the real writer would refuse.

import Foundation
import ResNetRuntime

/// conv → conv with option-A residual → max pool → global pool → flatten → linear → softmax.
func sampleBuilder(seed: UInt64 = 1) -> PlanBuilder {
    var random = SeededRandom(seed: seed)
    var b = PlanBuilder()
    b.name = "sample"
    let image = b.input("image", [1, 3, 8, 8])
    let c1 = b.step("conv1", .conv2d(Conv2DParams(kernel: 3, padding: 1, hasBias: true)), inputs: [image],
                    shape: [1, 4, 8, 8], weights: [b.weight(random.floats(4 * 3 * 9)), b.weight(random.floats(4))],
                    epilogue: Epilogue(activation: .relu))
    let c2 = b.step("conv2", .conv2d(Conv2DParams(kernel: 3, stride: 2, padding: 1, hasBias: false)),
                    inputs: [c1, c1], shape: [1, 8, 4, 4], weights: [b.weight(random.floats(8 * 4 * 9))],
                    epilogue: Epilogue(residual: .shortcutA(stride: 2), activation: .relu))
    let pooled = b.step("pool", .maxPool(PoolParams(kernel: 2, stride: 2)), inputs: [c2], shape: [1, 8, 2, 2])
    let gap = b.step("gap", .globalAvgPool, inputs: [pooled], shape: [1, 8, 1, 1])
    let flat = b.step("flatten", .copy, inputs: [gap], shape: [1, 8])
    let logits = b.step("fc", .linear(hasBias: true), inputs: [flat], shape: [1, 5],
                        weights: [b.weight(random.floats(5 * 8)), b.weight(random.floats(5))])
    let probabilities = b.step("softmax", .softmax, inputs: [logits], shape: [1, 5])
    b.output("probabilities", probabilities)
    return b
}

/// A deterministic input for the sample plan.
func sampleImage(seed: UInt64 = 2) -> Tensor {
    var random = SeededRandom(seed: seed)
    return Tensor(shape: [1, 3, 8, 8], data: random.floats(3 * 64))
}

/// `.rnc` bytes built straight from the format description, with any plan JSON.
func rawRNC(planJSON: [UInt8], weights: [Float], version: UInt32 = 1) -> [UInt8] {
    func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    let weightsOffset = (64 + planJSON.count + 63) / 64 * 64
    var bytes = Array("RESNETC".utf8) + [0] + le(version) + le(UInt32(64)) + le(UInt64(64))
        + le(UInt64(planJSON.count)) + le(UInt64(weightsOffset)) + le(UInt64(weights.count * 4))
        + le(UInt64(0)) + le(UInt64(0))
    bytes += planJSON + [UInt8](repeating: 0, count: weightsOffset - 64 - planJSON.count)
    for w in weights { bytes += le(w.bitPattern) }
    let sum = Checksum.hash(Array(bytes[64...]))
    bytes.replaceSubrange(48..<56, with: le(sum))
    return bytes
}

/// Sorted-keys JSON of a plan, as the writer produces it.
func planJSON(_ plan: Plan) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return Array(try encoder.encode(plan))
}

/// A unique path in the temporary directory, removed by the caller.
func temporaryPath(_ suffix: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("resnetc-\(UUID().uuidString)\(suffix)").path
}
