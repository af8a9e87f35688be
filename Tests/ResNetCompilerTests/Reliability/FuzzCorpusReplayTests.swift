// Replays the committed fuzz inputs (seed corpora and Tests/Fuzz/regressions/, where every
// crash the fuzzers find is kept) through the same calls as the libFuzzer harnesses, so a
// finding stays fixed in the ordinary test run without libFuzzer.
import Foundation
import ResNetCompiler
import ResNetRuntime
import Testing

@Suite("Fuzz inputs replayed")
struct FuzzCorpusReplayTests {
    /// Every file under Tests/Fuzz/corpus/<target>/ and Tests/Fuzz/regressions/<target>/.
    static func inputs(_ target: String) -> [String] {
        ["corpus", "regressions"].flatMap { kind -> [String] in
            let directory = Repository.path("Tests/Fuzz/\(kind)/\(target)")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            return names.sorted().map { directory + "/" + $0 }
        }
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test("dsl: every input elaborates or fails with diagnostics")
    func dsl() throws {
        let paths = Self.inputs("dsl")
        #expect(paths.count >= 17)
        for path in paths {
            let source = String(decoding: try Self.bytes(path), as: UTF8.self)
            do { _ = try Frontend.elaborate(source: source, fileName: "fuzz.net") } catch {
                #expect(!error.diagnostics.isEmpty, "\(path)")
            }
        }
    }

    @Test("npy: every input decodes and round-trips, or fails with an error")
    func npy() throws {
        for path in Self.inputs("npy") {
            guard let tensor = try? NPY.decode(bytes: try Self.bytes(path), name: "fuzz.npy") else { continue }
            let again = try NPY.decode(bytes: NPY.encode(tensor), name: "again.npy")
            #expect(again.shape == tensor.shape && again.data.map(\.bitPattern) == tensor.data.map(\.bitPattern), "\(path)")
        }
    }

    @Test("safetensors: every input parses and binds, or fails with an error")
    func safetensors() throws {
        let graph = try Frontend.elaborate(source: """
            network fuzz
            input image: 1x2x4x4
            x = conv1: conv(image, 3, kernel: 3, pad: 1) -> bn1: batchnorm -> relu
            output logits = fc: linear(flatten(x), 2)
            """, fileName: "fuzz.net")
        for path in Self.inputs("safetensors") {
            guard let file = try? SafetensorsFile(bytes: try Self.bytes(path), name: "fuzz.safetensors") else { continue }
            for name in file.tensorNames { _ = try? file.floatTensor(name) }
            _ = try? WeightBinder.bind(graph, from: file)
        }
    }

    @Test("rnc: every input loads and runs on zeros with outputs of the declared shapes, or fails with an error")
    func rnc() throws {
        var loaded = 0
        for path in Self.inputs("rnc") {
            guard let model = try? Model(bytes: try Self.bytes(path), limits: RuntimeLimits(maxArenaBytes: 1 << 26)),
                  let session = try? Session(model: model) else { continue }
            loaded += 1
            let zeros = model.inputs.map { Tensor(zeros: $0.shape) }
            let outputs = try session.run(zeros)
            #expect(outputs.map(\.shape) == model.outputs.map(\.shape), "\(path)")
        }
        #expect(loaded >= 3, "the .rnc seeds no longer load; regenerate them with resnetc compile")
    }

    @Test("image: every input decodes to a consistent image, or fails with an error")
    func image() throws {
        for path in Self.inputs("image") {
            guard let image = try? ImageReader.decode(try Self.bytes(path), path: "fuzz.png") else { continue }
            #expect(image.pixels.count == image.width * image.height * image.channels, "\(path)")
        }
    }

    @Test("onnx: every input imports, or fails with an error")
    func onnx() throws {
        var imported = 0
        for path in Self.inputs("onnx") {
            if (try? ONNXImporter.importModel(bytes: try Self.bytes(path), fileName: "fuzz.onnx")) != nil { imported += 1 }
        }
        #expect(imported >= 3)
    }
}
