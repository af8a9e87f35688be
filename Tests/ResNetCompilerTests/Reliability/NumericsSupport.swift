// Helpers for the NaN/Inf tests: compile a tiny network with given weights (optimized or -O0),
// run it once, and compare outputs with IEEE semantics (NaN matches NaN, infinities exactly).
import Foundation
import ResNetCompiler
import ResNetRuntime

/// Compiles and runs small networks whose weights the test chooses.
enum NumericsHarness {
    /// The two lowerings every case runs through: fused epilogues (standard passes) and one
    /// step per op (`-O0`), so both the fused and the standalone kernels see the special values.
    static let pipelines: [(name: String, passes: [Pass])] = [("optimized", PassPipeline.standard), ("-O0", [])]

    /// Compiles `source` with `weights` (written to a temporary safetensors file), then runs it
    /// on `input` and returns the single output's values.
    static func run(_ source: String, weights: [(String, Tensor)] = [], input: Tensor,
                    passes: [Pass]) throws -> [Float] {
        var options = CompileOptions(passes: passes)
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("numerics-\(UUID().uuidString).safetensors").path
        if !weights.isEmpty {
            try SafetensorsWriter.write(weights, to: path)
            options.weightsPath = path
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let compilation = try Compiler.compile(source: source, fileName: "numerics.net", options: options)
        let model = try Model(bytes: try compilation.encoded())
        return try Session(model: model).run([input])[0].data
    }

    /// True when `found` is what IEEE arithmetic gives for `expected`: NaN for NaN, the same
    /// infinity, or a finite value within a relative 1e-6.
    static func matches(_ found: Float, _ expected: Float) -> Bool {
        if expected.isNaN { return found.isNaN }
        if expected.isInfinite || expected == 0 { return found == expected }
        return abs(found - expected) <= 1e-6 * max(1, abs(expected))
    }

    /// Whether every element matches.
    static func matches(_ found: [Float], _ expected: [Float]) -> Bool {
        found.count == expected.count && zip(found, expected).allSatisfy { matches($0, $1) }
    }
}
