// libFuzzer target `npy`: arbitrary bytes through `NPY.decode`, then an encode/decode round trip
// of whatever decoded, which must give back the same shape.
import ResNetRuntime

/// One fuzz input: a decode error is fine; a crash or a failed round trip is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPY(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let tensor = try? NPY.decode(bytes: bytes, name: "fuzz.npy") else { return 0 }
    guard let again = try? NPY.decode(bytes: NPY.encode(tensor), name: "again.npy"),
          again.shape == tensor.shape, again.data.count == tensor.data.count else {
        fatalError("NPY round trip lost the tensor of shape \(tensor.shape)")
    }
    return 0
}
