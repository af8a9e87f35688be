// `resnetc bench --load`: the time to map, check and bind a .rnc file, as numbers a script reads.
import Foundation
import ResNetRuntime
import Testing

@Suite("bench --load")
struct BenchLoadTests {
    @Test("--json reports load statistics for a .rnc file")
    func loadJSON() throws {
        let scratch = try CommandLineTool.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let model = scratch + "/mnist_resnet.rnc"
        let compile = try CommandLineTool.run(["compile", "Graphs/mnist_resnet.net", "-o", model])
        #expect(compile.status == 0, "\(compile)")
        let bench = try CommandLineTool.run(["bench", model, "--load", "--iterations", "3", "--warmup", "1",
                                             "--threads", "1", "--json"])
        #expect(bench.status == 0, "\(bench)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bench.stdout.utf8)) as? [String: Any])
        for key in ["load_median_ms", "load_p10_ms", "load_p90_ms", "load_min_ms", "model_median_ms", "session_median_ms"] {
            let value = try #require(object[key] as? Double, "missing \(key)")
            #expect(value > 0 && value < 10_000, "\(key) = \(value)")
        }
        #expect(object["model"] as? String == "mnist_resnet")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: model)[.size] as? Int)
        #expect(object["file_bytes"] as? Int == size)
        #expect(object["iterations"] as? Int == 3)
        #expect(object["threads"] as? Int == 1)

        let table = try CommandLineTool.run(["bench", model, "--load", "--iterations", "2", "--warmup", "0"])
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout.hasPrefix("mnist_resnet: load median "), "\(table)")
        #expect(table.stdout.contains(" over 2 loads: model "), "\(table)")
    }

    @Test("--load needs a compiled model")
    func loadNeedsRNC() throws {
        let bench = try CommandLineTool.run(["bench", "Graphs/mnist_resnet.net", "--load"])
        #expect(bench.status == 2, "\(bench)")
        #expect(bench.stderr.contains("error: --load measures loading a compiled model; 'Graphs/mnist_resnet.net' is not a .rnc file (compile it first)"),
                "\(bench)")
    }
}
