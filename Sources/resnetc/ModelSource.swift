// Turns the model argument of run/inspect/bench into a runnable model: a `.rnc` file is
// memory-mapped, a `.net` file is compiled in memory with the source options.
import Foundation
import ResNetCompiler
import ResNetRuntime

/// The options every command that accepts a `.net` file understands.
enum SourceOptions {
    static let names = ["--weights", "--batch", "--define", "--seed", "--passes", "--disable-pass", "--print-after", "--layout"]
    static let flags = ["-O0"]

    static func parse(_ args: Arguments) throws(UsageError) -> CompileOptions {
        var options = CompileOptions()
        options.weightsPath = args.string("--weights")
        options.batch = try args.int("--batch", in: 1...65536)
        if let seed = try args.int("--seed", in: 0...Int.max) { options.seed = UInt64(seed) }
        for define in args.all("--define") {
            let parts = define.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let value = Int(parts[1]) else {
                throw UsageError(description: "--define expects NAME=INTEGER, found '\(define)'")
            }
            options.defines[parts[0]] = value
        }
        var passes = PassPipeline.standard
        if let list = args.string("--passes") {
            do { passes = try PassPipeline.passes(named: list.split(separator: ",").map(String.init)) } catch {
                throw UsageError(description: error.description)
            }
        }
        if args.flag("-O0") { passes = [] }
        for disabled in args.all("--disable-pass") {
            guard PassPipeline.all[disabled] != nil else {
                throw UsageError(description: UnknownPassError(name: disabled, known: PassPipeline.standard.map(\.name)).description)
            }
            passes.removeAll { $0.name == disabled }
        }
        options.passes = passes
        let printAfter = Set(args.all("--print-after").flatMap { $0.split(separator: ",").map(String.init) })
        for name in printAfter where name != "all" && PassPipeline.all[name] == nil {
            throw UsageError(description: UnknownPassError(name: name, known: PassPipeline.standard.map(\.name)).description)
        }
        options.printAfter = printAfter
        switch args.string("--layout") {
        case nil: break
        case "nchw": options.blockedLayout = false
        case "blocked": options.blockedLayout = true
        case let other?: throw UsageError(description: "--layout takes 'nchw' or 'blocked', found '\(other)'")
        }
        return options
    }
}

/// A model ready to run, and the compilation it came from when it was compiled here.
struct LoadedModel {
    var model: Model
    var compilation: Compilation?
}

enum ModelSource {
    /// Loads `path`: `.rnc` files are mapped; `.net` files are compiled.
    static func load(_ path: String, args: Arguments) throws -> LoadedModel {
        guard path.hasSuffix(".rnc") || path.hasSuffix(".net") else {
            throw UsageError(description: "'\(path)' is neither a compiled model (.rnc) nor a network (.net)")
        }
        let options = try SourceOptions.parse(args)
        if path.hasSuffix(".rnc") {
            let given = SourceOptions.names.filter { !args.all($0).isEmpty } + SourceOptions.flags.filter(args.flag)
            guard given.isEmpty else {
                throw UsageError(description: "\(given.joined(separator: ", ")) only apply to .net sources; '\(path)' is compiled already")
            }
            return LoadedModel(model: try Model(contentsOf: path), compilation: nil)
        }
        let compilation = try Compiler.compile(path: path, options: options)
        for text in compilation.printedIR { print(text) }
        return LoadedModel(model: try compilation.makeModel(), compilation: compilation)
    }
}
