// libFuzzer target `onnx`: arbitrary bytes through `ONNXImporter.importModel(bytes:fileName:)`
// (protobuf decoding, graph building, constant folding, the generated .net source).
import ResNetCompiler

/// One fuzz input: an ONNXError is fine; only crashes count.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? ONNXImporter.importModel(bytes: bytes, fileName: "fuzz.onnx")
    return 0
}
