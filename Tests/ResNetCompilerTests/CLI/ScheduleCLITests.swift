// `--schedule NAME` and `--no-winograd` on the run-time commands: the profile names the kernel
// each forces, bad names and contradictions are usage errors, the help lists them.
import Foundation
import Testing

@Suite("resnetc --schedule")
struct ScheduleCLITests {
    /// The kernel column of `bench --profile` for layer1.0.conv2 (64 channels, 56×56) of ResNet-18.
    private func kernel(_ extra: [String]) throws -> String? {
        let result = try CommandLineTool.run(["bench", "Graphs/resnet18.net", "--iterations", "1", "--warmup", "0",
                                              "--threads", "1", "--profile"] + extra)
        #expect(result.status == 0, "\(result)")
        let row = result.stdout.split(separator: "\n").first { $0.contains(" layer1.0.conv2 ") }
        return row?.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).first.map(String.init)
    }

    @Test("each schedule runs its kernel; --no-winograd is direct")
    func kernels() throws {
        #expect(try kernel([])?.hasPrefix("winograd4-") == true)
        #expect(try kernel(["--schedule", "winograd2"])?.hasPrefix("winograd2-") == true)
        #expect(try kernel(["--schedule", "winograd4"])?.hasPrefix("winograd4-") == true)
        #expect(try kernel(["--schedule", "direct"])?.hasPrefix("direct-") == true)
        #expect(try kernel(["--no-winograd"])?.hasPrefix("direct-") == true)
    }

    @Test("an unknown schedule and a contradiction are usage errors; the help lists both")
    func usage() throws {
        let bad = try CommandLineTool.run(["run", "Graphs/resnet18.net", "--schedule", "fast"])
        #expect(bad.status == 2, "\(bad)")
        #expect(bad.stderr.contains("--schedule takes one of 'auto', 'direct', 'winograd2', 'winograd4', found 'fast'"), "\(bad)")
        let both = try CommandLineTool.run(["bench", "Graphs/resnet18.net", "--schedule", "winograd2", "--no-winograd"])
        #expect(both.status == 2, "\(both)")
        #expect(both.stderr.contains("--no-winograd contradicts --schedule winograd2"), "\(both)")
        for command in ["run", "bench", "eval"] {
            let help = try CommandLineTool.run([command, "--help"])
            #expect(help.stdout.contains("--schedule NAME"), "\(command): \(help)")
        }
    }
}
