// `resnetc tune`: writes a model whose plan stores the measured choices, which inspect lists and
// run uses (PyTorch's numbers still come out); its usage errors.
import Foundation
import ResNetRuntime
import Testing

@Suite("resnetc tune")
struct TuneCLITests {
    private let fixture = "Tests/Fixtures/resnet18_small"

    @Test("tune writes a runnable model with its verdicts; inspect names the tuned steps")
    func tuneAndRun() throws {
        let dir = try CommandLineTool.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = dir + "/r18.rnc", output = dir + "/y.npy"
        let tune = try CommandLineTool.run(["tune", "Graphs/resnet18.net", "--weights", fixture + ".safetensors",
                                            "--define", "base=8", "--define", "classes=10", "--define", "size=64",
                                            "--batch", "2", "--threads", "1",
                                            "--rounds", "1", "--runs", "2", "--json", "-o", model])
        #expect(tune.status == 0, "\(tune)")
        let object = try JSONSerialization.jsonObject(with: Data(tune.stdout.utf8)) as? [String: Any]
        let steps = object?["steps"] as? [[String: Any]] ?? []
        #expect(steps.count == 20, "\(tune)")  // ResNet-18's convs
        #expect(steps.allSatisfy { $0["default_kernel"] is String && $0["default_ms"] is Double })
        // The per-conv picks are stored only when the whole model ran faster with them.
        let kept = object?["kept"] as? Bool ?? false
        #expect((object?["ratio"] as? Double).map { kept == ($0 < 1) } == true, "\(tune)")
        let picked = steps.compactMap { $0["tuned"] == nil ? nil : $0["step"] as? String }
        let tunedNames = kept ? picked : []
        let loaded = try Model(contentsOf: model)
        #expect(loaded.plan.steps.filter { $0.tuning != nil }.map(\.name) == tunedNames)
        let inspect = try CommandLineTool.run(["inspect", model])
        #expect(inspect.stdout.components(separatedBy: "  tuned: ").count - 1 == tunedNames.count, "\(inspect)")
        #expect(inspect.stdout.contains("tuned:  for 1 thread(s), "), "\(inspect)")
        #expect(inspect.stdout.contains("; \(tunedNames.count) of 20 convs changed"), "\(inspect)")
        let run = try CommandLineTool.run(["run", model, "--input", fixture + "_input.npy", "--output", output])
        #expect(run.status == 0, "\(run)")
        let result = try NPY.read(path: output), reference = try NPY.read(path: fixture + "_output_fp64.npy")
        #expect(maxAbsDifference(result, reference) <= 1e-4 * maxAbs(reference))
    }

    @Test("bench --versus runs two models in turn and reports their per-pair ratio; their inputs must match")
    func versus() throws {
        let dir = try CommandLineTool.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let small = ["--define", "base=8", "--define", "classes=10", "--define", "size=64", "--batch", "2"]
        let model = dir + "/r18.rnc", other = dir + "/r18b1.rnc"
        #expect(try CommandLineTool.run(["compile", "Graphs/resnet18.net", "-o", model] + small).status == 0)
        let versus = try CommandLineTool.run(["bench", model, "--versus", model, "--iterations", "4", "--warmup", "1",
                                              "--threads", "1", "--json"])
        #expect(versus.status == 0, "\(versus)")
        let object = try JSONSerialization.jsonObject(with: Data(versus.stdout.utf8)) as? [String: Any]
        #expect(object?["pairs"] as? Int == 4, "\(versus)")
        #expect((object?["ratio_median"] as? Double).map { $0 > 0 } == true, "\(versus)")
        let text = try CommandLineTool.run(["bench", model, "--versus", model, "--iterations", "2", "--threads", "1"])
        #expect(text.stdout.contains("per-pair ratio (versus / first) median "), "\(text)")
        #expect(try CommandLineTool.run(["compile", "Graphs/resnet18.net", "-o", other, "--define", "base=8",
                                         "--define", "classes=10", "--define", "size=64"]).status == 0)
        let mismatch = try CommandLineTool.run(["bench", model, "--versus", other])
        #expect(mismatch.status == 2, "\(mismatch)")
        #expect(mismatch.stderr.contains("--versus needs models with the same inputs: 2x3x64x64 vs 1x3x64x64"), "\(mismatch)")
        let load = try CommandLineTool.run(["bench", model, "--load", "--versus", other])
        #expect(load.status == 2 && load.stderr.contains("--versus times runs of two models; it does not apply to --load"), "\(load)")
    }

    @Test("tune needs -o and takes only its own options")
    func usage() throws {
        let missing = try CommandLineTool.run(["tune", "Graphs/resnet18.net"])
        #expect(missing.status == 2, "\(missing)")
        #expect(missing.stderr.contains("tune writes a new model: give its path with -o FILE.rnc"), "\(missing)")
        let rounds = try CommandLineTool.run(["tune", "Graphs/resnet18.net", "-o", "/tmp/never.rnc", "--rounds", "0"])
        #expect(rounds.status == 2, "\(rounds)")
        #expect(rounds.stderr.contains("option '--rounds' must be between 1 and 1000, found 0"), "\(rounds)")
        let margin = try CommandLineTool.run(["tune", "Graphs/resnet18.net", "-o", "/tmp/never.rnc", "--margin", "100"])
        #expect(margin.status == 2, "\(margin)")
        #expect(margin.stderr.contains("option '--margin' must be between 0 and 99, found 100"), "\(margin)")
        let help = try CommandLineTool.run(["tune", "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: resnetc tune"), "\(help)")
    }
}
