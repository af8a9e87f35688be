// The compiler as one call: `.net` source (and optional weights) → graph → plan → runnable model.
import Foundation
import ResNetRuntime

/// The result of compiling a network.
public struct Compilation: Sendable {
    /// The graph as elaborated, with weights bound, before any pass.
    public var sourceGraph: Graph
    /// The graph that was lowered (after the passes).
    public var graph: Graph
    /// What each pass did.
    public var passReports: [PassReport]
    /// The IR printed after the passes named in `CompileOptions.printAfter`.
    public var printedIR: [String]
    /// The plan and its weight blob.
    public var lowered: LoweredModel
    /// Remarks for the user that are not errors (e.g. labels that do not fit the classes).
    public var notes: [String] = []

    /// A runnable model, in memory (no file involved).
    public func makeModel() throws(RuntimeError) -> Model {
        try Model(plan: lowered.plan, weights: lowered.weights)
    }

    /// The `.rnc` bytes of this model.
    public func encoded() throws -> [UInt8] {
        try RNCFile.encode(plan: lowered.plan, weights: lowered.weights)
    }
}

/// Entry points of the compiler library.
public enum Compiler {
    /// Largest `.net` source accepted.
    public static let maxSourceBytes = 1 << 20

    /// Compiles the `.net` file at `path`.
    public static func compile(path: String, options: CompileOptions = .init()) throws(CompileError) -> Compilation {
        var options = options
        if options.labelsDirectory == nil {
            options.labelsDirectory = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? ""
        }
        return try compile(source: readSource(path), fileName: path, options: options)
    }

    /// Compiles `.net` source text; `fileName` is used in diagnostics.
    public static func compile(source: String, fileName: String,
                               options: CompileOptions = .init()) throws(CompileError) -> Compilation {
        let network = try elaborateNetwork(source: source, fileName: fileName, options: options)
        var compilation = try lower(network.graph, options: options, fileName: fileName)
        try attachImageFacts(network, options: options, to: &compilation)
        return compilation
    }

    /// Front half only: parse, elaborate and bind weights (or seed them). The reference
    /// interpreter runs on this graph.
    public static func elaborate(source: String, fileName: String,
                                 options: CompileOptions = .init()) throws(CompileError) -> Graph {
        try elaborateNetwork(source: source, fileName: fileName, options: options).graph
    }

    /// `elaborate`, keeping what the file declares about images (`preprocess`, `labels`).
    public static func elaborateNetwork(source: String, fileName: String,
                                        options: CompileOptions = .init()) throws(CompileError) -> ElaboratedNetwork {
        let frontendOptions = FrontendOptions(batch: options.batch, defines: options.defines,
                                              labelsDirectory: options.labelsDirectory, limits: options.limits)
        var network: ElaboratedNetwork
        do { network = try Frontend.elaborateNetwork(source: source, fileName: fileName, options: frontendOptions) } catch {
            throw .dsl(error)
        }
        network.graph = try bindWeights(network.graph, options: options)
        return network
    }

    /// Binds the weights file of `options`, or seeded weights when there is none.
    public static func bindWeights(_ graph: Graph, options: CompileOptions) throws(CompileError) -> Graph {
        guard let path = options.weightsPath else {
            return WeightInitializer.initialize(graph, seed: options.seed)
        }
        do {
            let file = try SafetensorsFile(path: path)
            return try WeightBinder.bind(graph, from: file)
        } catch {
            throw .weights(error)
        }
    }

    /// Verifies, optimizes and lowers a bound graph.
    public static func lower(_ graph: Graph, options: CompileOptions,
                             fileName: String = "") throws(CompileError) -> Compilation {
        do { try Verifier.verify(graph) } catch { throw .invalidGraph(error.message) }
        var printed: [String] = []
        // Padding channels only pays when the lowering may block the padded maps.
        let passes = options.blockedLayout ? options.passes : options.passes.filter { $0.name != padChannelsPass.name }
        let manager = PassManager(passes: passes, printAfter: options.printAfter)
        let optimized: Graph, reports: [PassReport]
        do { (optimized, reports) = try manager.run(graph) { printed.append($0) } } catch {
            throw .invalidGraph(error.description)
        }
        let metadata = ["source": fileName, "weights": options.weightsPath ?? "seeded(\(options.seed))",
                        "compiler": ResNetRuntimeInfo.version,
                        // The model's counts, as a user knows them: before folding removes BN.
                        "params": String(graph.parameterCount), "flops": String(graph.flops),
                        "passes": options.passes.map(\.name).joined(separator: ","),
                        "pass_reports": reports.map(\.encoded).joined(separator: ";")]
        let lowered: LoweredModel
        do { lowered = try Lowering.lower(optimized, metadata: metadata, options: LoweringOptions(blockedLayout: options.blockedLayout)) } catch {
            throw .invalidGraph(error.message)
        }
        return Compilation(sourceGraph: graph, graph: optimized, passReports: reports, printedIR: printed,
                           lowered: lowered)
    }

    /// Reads a `.net` file: it must exist, be at most `maxSourceBytes` and be UTF-8.
    public static func readSource(_ path: String) throws(CompileError) -> String {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int else {
            throw .io(path: path, reason: "cannot read file (does it exist?)")
        }
        guard size <= maxSourceBytes else {
            throw .io(path: path, reason: "source is \(size) bytes; the limit is \(maxSourceBytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io(path: path, reason: "cannot read file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .io(path: path, reason: "source is not valid UTF-8")
        }
        return text
    }
}
