// libFuzzer target `safetensors`: arbitrary bytes through `SafetensorsFile(bytes:name:)`, every
// tensor decoded, then `WeightBinder.bind` against a small graph whose keys the seeds use.
import ResNetCompiler
import ResNetRuntime

/// conv (with bias) + batchnorm + linear: every parameter kind the binder knows.
private let graph: Graph? = try? Frontend.elaborate(source: """
    network fuzz
    input image: 1x2x4x4
    x = conv1: conv(image, 3, kernel: 3, pad: 1) -> bn1: batchnorm -> relu
    output logits = fc: linear(flatten(x), 2)
    """, fileName: "fuzz.net")

/// One fuzz input: a WeightError is fine; a crash is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let graph else { fatalError("the harness graph does not elaborate") }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? SafetensorsFile(bytes: bytes, name: "fuzz.safetensors") else { return 0 }
    for name in file.tensorNames { _ = try? file.floatTensor(name) }
    _ = try? WeightBinder.bind(graph, from: file)
    return 0
}
