// `--layout nchw|blocked` on the command line: accepted by every command reading a .net file,
// shown by inspect (layouts in the step and buffer tables, the count in the metadata).
import Foundation
import Testing

@Suite("resnetc --layout")
struct LayoutCLITests {
    @Test("inspect --layout blocked prints blocked shapes; nchw prints none")
    func inspect() throws {
        let blocked = try CommandLineTool.run(["inspect", "Graphs/resnet18.net", "--layout", "blocked", "--memory"])
        #expect(blocked.status == 0, "\(blocked)")
        let lines = blocked.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("layer1.0.conv2") && $0.contains(" 1x64x56x56 nChw16c ") }, "\(blocked)")
        #expect(lines.contains { $0.hasPrefix("1    conv1") && $0.contains(" 1x64x112x112 nChw16c ") }, "\(blocked)")
        #expect(lines.contains { $0.hasPrefix("global_avgpool") && $0.contains(" 1x512x1x1 ") }, "\(blocked)")
        #expect(lines.contains("input  image: 1x3x224x224"), "\(blocked)")
        let plain = try CommandLineTool.run(["inspect", "Graphs/resnet18.net", "--layout", "nchw", "--memory"])
        #expect(plain.status == 0, "\(plain)")
        #expect(!plain.stdout.contains("nChw16c"))
    }

    @Test("inspect --json records the number of blocked tensors")
    func json() throws {
        let result = try CommandLineTool.run(["inspect", "Graphs/resnet18.net", "--layout", "blocked", "--json"])
        #expect(result.status == 0, "\(result)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let metadata = try #require(object["metadata"] as? [String: String])
        #expect(Int(metadata["blocked_tensors"] ?? "") ?? 0 > 20, "\(metadata)")
    }

    @Test("an unknown layout is a usage error; the help lists the flag")
    func usage() throws {
        let bad = try CommandLineTool.run(["compile", "Graphs/resnet18.net", "--layout", "nhwc"])
        #expect(bad.status == 2, "\(bad)")
        #expect(bad.stderr.contains("--layout takes 'nchw' or 'blocked', found 'nhwc'"), "\(bad)")
        let help = try CommandLineTool.run(["compile", "--help"])
        #expect(help.stdout.contains("--layout nchw|blocked"), "\(help)")
    }
}
