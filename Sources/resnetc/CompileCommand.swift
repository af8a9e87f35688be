// `resnetc compile`: .net source → .rnc model file.
import Foundation
import ResNetCompiler
import ResNetRuntime

enum CompileCommand {
    static func run(_ argv: [String]) throws {
        if argv.contains("--help") || argv.contains("-h") { throw HelpRequested(text: Help.compile) }
        let args = try Arguments(argv, options: ["-o", "--output", "--labels"] + SourceOptions.names, flags: ["--dump-ir"] + SourceOptions.flags)
        let source = try args.single("a .net file to compile")
        var options = try SourceOptions.parse(args)
        options.labelsPath = args.string("--labels")
        let compilation = try Compiler.compile(path: source, options: options)
        for note in compilation.notes { printError("note: " + note) }
        for text in compilation.printedIR { print(text) }
        if args.flag("--dump-ir") { print(IRPrinter.print(compilation.graph)) }
        let output = args.string("-o") ?? args.string("--output") ?? defaultOutput(for: source)
        try RNCFile.write(plan: compilation.lowered.plan, weights: compilation.lowered.weights, to: output)
        // The network's own counts, as `inspect` reports them (passes fold and pad weights).
        let plan = compilation.lowered.plan, report = ModelReport(plan: plan)
        print("compiled \(source) → \(output): \(plan.steps.count) steps, "
            + "\(formatCount(report.params)) parameters, "
            + "\(formatFLOPs(report.flops)), arena \(formatBytes(plan.arenaFloats * 4))")
    }

    /// `Graphs/resnet50.net` → `resnet50.rnc` in the current directory.
    static func defaultOutput(for source: String) -> String {
        let file = URL(fileURLWithPath: source).deletingPathExtension().lastPathComponent
        return file + ".rnc"
    }
}
