// `resnetc graph`: the IR of a .net file before or after the passes, as text or Graphviz DOT.
import Foundation
import ResNetCompiler
import ResNetRuntime

enum GraphCommand {
    static func run(_ argv: [String]) throws {
        if argv.contains("--help") || argv.contains("-h") { throw HelpRequested(text: Help.graph) }
        let args = try Arguments(argv, options: ["--after", "-o", "--output", "--batch", "--define", "--passes", "--disable-pass"],
                                 flags: ["--dot", "-O0"])
        let path = try args.single("a .net file to draw")
        guard path.hasSuffix(".net") else {
            throw UsageError(description: "'\(path)' is not a network (.net); graph draws source networks")
        }
        let options = try SourceOptions.parse(args)
        let source = try Compiler.readSource(path)
        let elaborated: Graph
        do {
            elaborated = try Frontend.elaborate(source: source, fileName: path,
                                                options: FrontendOptions(batch: options.batch, defines: options.defines))
        } catch {
            throw CompileError.dsl(error)
        }
        let graph = try optimized(elaborated, passes: try passesToRun(options.passes, after: args.string("--after")))
        let text = args.flag("--dot") ? DotPrinter.print(graph) : IRPrinter.print(graph)
        if let output = args.string("-o") ?? args.string("--output") {
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                throw CompileError.io(path: output, reason: "cannot write: \(error.localizedDescription)")
            }
        } else {
            print(text, terminator: "")
        }
    }

    /// The passes up to and including `after` (`none`: no pass; nil: all of them).
    static func passesToRun(_ passes: [Pass], after: String?) throws(UsageError) -> [Pass] {
        guard let after else { return passes }
        if after == "none" { return [] }
        guard let index = passes.firstIndex(where: { $0.name == after }) else {
            throw UsageError(description: "--after expects 'none' or one of the passes that run: "
                + passes.map(\.name).joined(separator: ", ") + "; found '\(after)'")
        }
        return Array(passes[...index])
    }

    private static func optimized(_ graph: Graph, passes: [Pass]) throws -> Graph {
        do { return try PassManager(passes: passes).run(graph).0 } catch {
            throw CompileError.invalidGraph(error.description)
        }
    }
}
