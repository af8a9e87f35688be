// The command line as a user drives it: compile → .rnc → run on an .npy → .npy out, inspect
// and bench reports, help and version; numbers checked against the PyTorch fixture.
import Foundation
import ResNetRuntime
import Testing

@Suite("resnetc command line")
struct CLIWorkflowTests {
    private let fixture = "Tests/Fixtures/resblock6_small"

    @Test("--version and --help")
    func versionAndHelp() throws {
        let version = try CommandLineTool.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout == "resnetc \(ResNetRuntimeInfo.version)\n")
        for command in ["compile", "run", "inspect", "bench"] {
            let help = try CommandLineTool.run([command, "--help"])
            #expect(help.status == 0, "\(command): \(help)")
            #expect(help.stdout.contains("resnetc \(command)"), "\(command): \(help)")
        }
        let overview = try CommandLineTool.run(["--help"])
        #expect(overview.status == 0)
        #expect(overview.stdout.contains("compile"))
    }

    @Test("compile, then run the .rnc on an .npy input: PyTorch's numbers come out")
    func compileAndRun() throws {
        let dir = try CommandLineTool.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = dir + "/r6.rnc", output = dir + "/y.npy"
        let compile = try CommandLineTool.run(["compile", "Graphs/resblock6.net", "--weights", fixture + ".safetensors",
                                               "--define", "base=4", "--batch", "2", "-o", model])
        #expect(compile.status == 0, "\(compile)")
        #expect(compile.stdout.hasPrefix("compiled Graphs/resblock6.net → \(model): "), "\(compile)")
        let run = try CommandLineTool.run(["run", model, "--input", fixture + "_input.npy", "--output", output, "--top", "3"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.hasPrefix("output "), "\(run)")
        let result = try NPY.read(path: output)
        let reference = try NPY.read(path: fixture + "_output_fp64.npy")
        #expect(maxAbsDifference(result, reference) <= 1e-4 * maxAbs(reference))
    }

    @Test("run and inspect accept a .net directly; inspect --json has the documented fields")
    func inspectJSON() throws {
        let inspect = try CommandLineTool.run(["inspect", "Graphs/cifar_resnet20.net", "--json"])
        #expect(inspect.status == 0, "\(inspect)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any])
        #expect(object["params"] as? Int == 269_722)
        for key in ["flops", "arena_bytes", "steps", "naive_activation_bytes", "passes"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let table = try CommandLineTool.run(["inspect", "Graphs/cifar_resnet20.net"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("parameters:  269,722"), "\(table)")
        let run = try CommandLineTool.run(["run", "Graphs/cifar_resnet20.net", "--top", "2"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains(" 1. class "), "\(run)")
    }

    @Test("bench --json reports latency statistics")
    func benchJSON() throws {
        let bench = try CommandLineTool.run(["bench", "Graphs/mnist_resnet.net", "--iterations", "3", "--warmup", "1",
                                             "--threads", "1", "--json"])
        #expect(bench.status == 0, "\(bench)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bench.stdout.utf8)) as? [String: Any])
        for key in ["median_ms", "p10_ms", "p90_ms", "gflops"] { #expect(object[key] is Double, "missing \(key)") }
        #expect(object["threads"] as? Int == 1)
        #expect(object["iterations"] as? Int == 3)
    }
}
