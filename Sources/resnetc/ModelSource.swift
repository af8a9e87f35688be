// Turns the model argument of run/inspect/bench into a runnable model: a `.rnc` file is
// memory-mapped, a `.net` file is compiled in memory with the source options.
import Foundation
import ResNetCompiler
import ResNetRuntime

/// The options every command that accepts a `.net` file understands.
enum SourceOptions {
    static let names = ["--weights", "--batch", "--define", "--seed"]

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
        return options
    }
}

/// A model ready to run, and the compilation it came from when it was compiled here.
struct LoadedModel {
    var model: Model
    var compilation: Compilation?
}

enum ModelSource {
    /// Loads `path`: `.rnc` files are mapped; anything else is compiled as DSL source.
    static func load(_ path: String, args: Arguments) throws -> LoadedModel {
        let options = try SourceOptions.parse(args)
        if path.hasSuffix(".rnc") {
            let given = SourceOptions.names.filter { !args.all($0).isEmpty }
            guard given.isEmpty else {
                throw UsageError(description: "\(given.joined(separator: ", ")) only apply to .net sources; '\(path)' is compiled already")
            }
            return LoadedModel(model: try Model(contentsOf: path), compilation: nil)
        }
        let compilation = try Compiler.compile(path: path, options: options)
        return LoadedModel(model: try compilation.makeModel(), compilation: compilation)
    }
}
