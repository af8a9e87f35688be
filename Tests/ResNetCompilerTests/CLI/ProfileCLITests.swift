// `--profile` and `--trace` through the real command line: the per-layer table has a row per
// plan step in order, a total and a per-op-kind summary; the trace file parses and holds the
// plan's steps; bench profiles only its timed runs; a bad trace path gives the usual message.
import Foundation
import ResNetCompiler
import ResNetRuntime
import Testing

@Suite("resnetc --profile and --trace")
struct ProfileCLITests {
    private let net = "Graphs/mnist_resnet.net"

    /// The plan `resnetc` builds from the MNIST network with default options.
    private func plan() throws -> Plan {
        try Compiler.compile(path: Repository.path(net)).makeModel().plan
    }

    /// The table's step rows (`#  name  op  shape  ms  share  GFLOP/s`), split into fields.
    private func rows(_ stdout: String) -> [[String]] {
        stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            .filter { $0.count == 8 && Int($0[0]) != nil }
    }

    @Test("run --profile: header, one row per plan step in order, total, op-kind summary")
    func runTable() throws {
        let plan = try plan()
        let result = try CommandLineTool.run(["run", net, "--profile", "--threads", "2", "--top", "1"])
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("profile of mnist_resnet: mean of 1 run(s), 2 thread(s); a conv's pre-pass counts in its row"),
                "\(result)")
        let header = try #require(lines.first { $0.contains("step") && $0.contains("GFLOP/s") })
        #expect(header.split(separator: " ") == ["#", "step", "op", "kernel", "output", "ms/run", "share", "GFLOP/s"])
        let table = rows(result.stdout)
        #expect(table.map { $0[1] } == plan.steps.map(\.name))
        #expect(table.map { Int($0[0]) } == Array(plan.steps.indices))
        #expect(table.map { $0[4] } == plan.steps.map(\.output.shape.shapeDescription))
        // Convs name the kernel the session chose; other steps show "-".
        #expect(table.allSatisfy { $0[2].hasPrefix("conv") ? $0[3] != "-" : $0[3] == "-" })
        #expect(table[0][2] == "conv5x5")
        #expect(table.allSatisfy { Double($0[5]).map { $0 >= 0 } == true && $0[6].hasSuffix("%") })
        let total = try #require(lines.first { $0.split(separator: " ").first == "total" })
        #expect(total.split(separator: " ")[2] == "100.0%")
        // The shares add up to 100% give or take the rounding of each row.
        let shares: [Double] = table.compactMap { Double($0[6].dropLast()) }
        let shareSum = shares.reduce(0, +), slack = 0.05 * Double(shares.count) + 0.01
        #expect(abs(shareSum - 100) <= slack)
        let summary = try #require(lines.firstIndex { $0.hasPrefix("op kind") })
        let kinds = lines[(summary + 1)...].map { $0.split(separator: " ").map(String.init) }
        // The net's two relus after max pools run in the convs before the pools (fuse-activation).
        #expect(kinds.map { $0[0] } == ["conv", "linear", "maxpool"])
        #expect(kinds.map { Int($0[1]) } == [6, 2, 2])
    }

    @Test("run --trace writes a Chrome trace of the plan's steps")
    func runTrace() throws {
        let plan = try plan()
        let dir = try CommandLineTool.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/trace.json"
        let result = try CommandLineTool.run(["run", net, "--trace", path, "--threads", "2"])
        #expect(result.status == 0, "\(result)")
        #expect(!result.stdout.contains("ms/run"), "--trace alone prints no table")
        let data = try #require(FileManager.default.contents(atPath: path))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let events = try #require(object["traceEvents"] as? [[String: Any]])
        let complete = events.filter { $0["ph"] as? String == "X" }
        #expect(complete.allSatisfy { ($0["dur"] as? Double ?? -1) >= 0 && ($0["ts"] as? Double ?? -1) >= 0 })
        let sessionSteps = complete.filter { $0["tid"] as? Int == 2 && $0["cat"] as? String != "run" }
        #expect(sessionSteps.compactMap { $0["name"] as? String } == plan.steps.map(\.name))
        let workers = complete.filter { ($0["tid"] as? Int ?? 2) < 2 }
        let names = Set(plan.steps.map(\.name))
        #expect(workers.allSatisfy { event in
            let name = event["name"] as? String ?? ""
            return names.contains(name) || names.contains(String(name.dropLast(".prepare".count)))
        })
        #expect(complete.filter { $0["cat"] as? String == "run" }.count == 1)
        #expect(events.contains { $0["ph"] as? String == "M" && $0["name"] as? String == "thread_name" })
    }

    @Test("bench --profile covers the timed runs only; --json puts the rows in the object")
    func bench() throws {
        let plan = try plan()
        let table = try CommandLineTool.run(["bench", net, "--iterations", "3", "--warmup", "2", "--threads", "1", "--profile"])
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout.contains("profile of mnist_resnet: mean of 3 run(s), 1 thread(s)"), "\(table)")
        #expect(rows(table.stdout).map { $0[1] } == plan.steps.map(\.name))
        let json = try CommandLineTool.run(["bench", net, "--iterations", "2", "--warmup", "1", "--profile", "--json"])
        #expect(json.status == 0, "\(json)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let profile = try #require(object["profile"] as? [[String: Any]])
        #expect(profile.compactMap { $0["name"] as? String } == plan.steps.map(\.name))
        #expect(profile.allSatisfy { $0["runs"] as? Int == 2 })
        #expect(profile.first?["flops"] as? Int == plan.steps[0].flops)
    }

    @Test("a trace path in a missing directory, and --profile with --load, are clear errors")
    func errors() throws {
        let bad = try CommandLineTool.run(["run", net, "--trace", "/nonexistent/dir/t.json"])
        #expect(bad.status == 1, "\(bad)")
        #expect(bad.stderr == "/nonexistent/dir/t.json: cannot write: directory '/nonexistent/dir' does not exist\n")
        let benchBad = try CommandLineTool.run(["bench", net, "--iterations", "1", "--trace", "/nonexistent/dir/t.json"])
        #expect(benchBad.status == 1)
        #expect(benchBad.stderr == bad.stderr)
        let load = try CommandLineTool.run(["bench", "m.rnc", "--load", "--profile"])
        #expect(load.status == 2)
        #expect(load.stderr == "resnetc bench: error: --profile and --trace time the steps of runs; they do not apply "
                + "to --load\nSee 'resnetc bench --help'.\n")
        let help = try CommandLineTool.run(["run", "--help"])
        #expect(help.stdout.contains("--profile") && help.stdout.contains("--trace FILE.json"))
    }
}
