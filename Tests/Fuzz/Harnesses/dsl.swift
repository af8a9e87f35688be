// libFuzzer target `dsl`: arbitrary bytes as `.net` source through the whole frontend
// (lexer, parser, elaborator, shape inference). Any trap, hang or sanitizer report is a bug.
import ResNetCompiler

/// One fuzz input: errors are the expected outcome; only crashes count.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDSL(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // Invalid UTF-8 becomes U+FFFD, as a lenient reader would see it.
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? Frontend.elaborate(source: source, fileName: "fuzz.net")
    return 0
}
