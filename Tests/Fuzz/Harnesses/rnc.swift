// libFuzzer target `rnc`: arbitrary bytes through `Model(bytes:)`; a model that loads is run
// once on zeros. The harness repairs the header checksum so mutations reach the plan decoder
// and the validator instead of stopping at the checksum check.
import ResNetRuntime

/// Arena floats the harness will allocate (a 64 GiB arena is valid but not worth fuzzing).
private let maxArenaFloats = 1 << 24

/// Overwrites the checksum field (bytes 48..<56) with the hash of [64, weights end) when the
/// header's layout fields describe a range inside the input.
private func repairChecksum(_ bytes: inout [UInt8]) {
    guard bytes.count >= 64 else { return }
    func field(_ offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }
    let (weightsOffset, weightsLength) = (field(32), field(40))
    guard weightsOffset < 1 << 62, weightsLength < 1 << 62 else { return }
    let end = weightsOffset + weightsLength
    guard end >= 64, end <= UInt64(bytes.count) else { return }
    let hash = bytes.withUnsafeBytes { Checksum.hash(UnsafeRawBufferPointer(rebasing: $0[64..<Int(end)])) }
    for i in 0..<8 { bytes[48 + i] = UInt8(truncatingIfNeeded: hash >> (8 * UInt64(i))) }
}

/// One fuzz input: a RuntimeError is fine; a crash or a wrong-sized output is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRNC(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    repairChecksum(&bytes)
    guard let model = try? Model(bytes: bytes), model.plan.arenaFloats <= maxArenaFloats,
          let session = try? Session(model: model) else { return 0 }
    let zeros = model.inputs.map { Tensor(shape: $0.shape, data: [Float](repeating: 0, count: $0.count)) }
    guard let outputs = try? session.run(zeros) else { return 0 }
    for (output, descriptor) in zip(outputs, model.outputs) where output.shape != descriptor.shape {
        fatalError("output \(descriptor.name) has shape \(output.shape), expected \(descriptor.shape)")
    }
    return 0
}
