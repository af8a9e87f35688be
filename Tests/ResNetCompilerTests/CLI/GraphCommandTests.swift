// `resnetc graph`: the IR text and the Graphviz DOT of a network before and after the passes.
import Foundation
import ResNetCompiler
import Testing

@Suite("resnetc graph")
struct GraphCommandTests {
    private static let source = """
        input x: 1x4x8x8
        y = c1: conv(x, 4, kernel: 3, pad: 1, bias: false) -> b1: batchnorm
        output z = relu(y + x)
        """

    @Test("DOT before the passes shows every node and shape; after, one fused conv")
    func dotBeforeAndAfter() throws {
        let graph = try Frontend.elaborate(source: Self.source, fileName: "t.net")
        let before = DotPrinter.print(graph)
        #expect(before == """
            digraph "t" {
              rankdir=TB;
              node [shape=box, style="rounded,filled", fillcolor="#f5f5f5", fontname="Helvetica", fontsize=10];
              edge [fontname="Helvetica", fontsize=8, color="#555555"];
              n0 [label="x\\ninput 1x4x8x8", fillcolor="#ffffff"];
              n1 [label="c1\\nconv 3x3 → 4", fillcolor="#cfe2f3"];
              n2 [label="b1\\nbatchnorm", fillcolor="#fff2cc"];
              n3 [label="add", fillcolor="#f4cccc"];
              n4 [label="relu", fillcolor="#d9ead3"];
              n0 -> n1 [label="1x4x8x8"];
              n1 -> n2 [label="1x4x8x8"];
              n2 -> n3 [label="1x4x8x8"];
              n0 -> n3 [label="1x4x8x8"];
              n3 -> n4 [label="1x4x8x8"];
              out0 [label="output z", shape=plaintext, style=""];
              n4 -> out0 [label="1x4x8x8"];
            }

            """)
        let (optimized, _) = try PassManager(passes: PassPipeline.standard).run(graph)
        let after = DotPrinter.print(optimized)
        #expect(after.contains("n1 [label=\"c1\\nconv 3x3 → 4\\n+ residual, relu\", fillcolor=\"#cfe2f3\"];"))
        #expect(after.contains("n0 -> n1 [label=\"1x4x8x8\", style=dashed];"))
        #expect(!after.contains("batchnorm"))
    }

    @Test("the command: --after none/PASS, --dot, -o, and a bad pass name")
    func command() throws {
        let dir = try CommandLineTool.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.source.write(toFile: dir + "/t.net", atomically: true, encoding: .utf8)
        let text = try CommandLineTool.run(["graph", "t.net", "--after", "fold-batchnorm"], in: dir)
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.contains("%1 = conv(%0) out=4 k=3 s=1 p=1 bias=true \"c1\""), "\(text)")
        #expect(text.stdout.contains("add("))
        let dot = try CommandLineTool.run(["graph", "t.net", "--dot", "-o", "t.dot"], in: dir)
        #expect(dot.status == 0 && dot.stdout.isEmpty, "\(dot)")
        let written = try String(contentsOfFile: dir + "/t.dot", encoding: .utf8)
        #expect(written.hasPrefix("digraph \"t\" {"))
        let none = try CommandLineTool.run(["graph", "t.net", "--after", "none"], in: dir)
        #expect(none.stdout.contains("batchnorm"))
        let bad = try CommandLineTool.run(["graph", "t.net", "--after", "fold-bn"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("resnetc graph: error: --after expects 'none' or one of the passes that run: "))
    }
}
