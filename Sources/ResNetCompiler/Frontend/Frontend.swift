// The frontend's public entry point: `.net` source text → Graph IR (without weights).

/// Options a compile passes to the frontend.
public struct FrontendOptions: Sendable {
    /// Overrides the input's batch dimension (`--batch N`).
    public var batch: Int?
    /// Overrides top-level `param`s (`--define name=value`).
    public var defines: [String: Int]
    /// The directory a `labels "file"` path is relative to ("" for the current directory); nil
    /// when the source has no file of its own (text compiled in memory): then `labels` is
    /// checked for syntax only and not read.
    public var labelsDirectory: String?
    /// How large a network the source may describe.
    public var limits: FrontendLimits

    /// Creates options; the defaults change nothing.
    public init(batch: Int? = nil, defines: [String: Int] = [:], labelsDirectory: String? = nil,
                limits: FrontendLimits = .standard) {
        self.batch = batch
        self.defines = defines
        self.labelsDirectory = labelsDirectory
        self.limits = limits
    }
}

/// Parses and elaborates `.net` sources.
public enum Frontend {
    /// Largest accepted source, in bytes.
    public static let maxSourceBytes = 1 << 20

    /// Parses and elaborates a `.net` source into a Graph whose nodes have NO params yet
    /// (weights are bound later by another component). Throws every error found.
    public static func elaborate(source: String, fileName: String,
                                 options: FrontendOptions = .init()) throws(DSLError) -> Graph {
        try elaborateNetwork(source: source, fileName: fileName, options: options).graph
    }

    /// Like `elaborate`, and also returns what the file declares about images
    /// (`preprocess`, `labels`).
    public static func elaborateNetwork(source: String, fileName: String,
                                        options: FrontendOptions = .init()) throws(DSLError) -> ElaboratedNetwork {
        guard source.utf8.count <= maxSourceBytes else {
            let d = Diagnostic(location: nil, message: "source is larger than 1 MiB (\(source.utf8.count) bytes)")
            throw DSLError(fileName: fileName, diagnostics: [d], source: "")
        }
        var lexer = Lexer(source: source, file: fileName)
        let tokens = lexer.tokenize()
        var parser = Parser(tokens: tokens)
        let program = parser.parseProgram()
        var elaborator = Elaborator(file: fileName, options: options)
        if let batch = options.batch, batch < 1 {
            elaborator.sink.error("--batch must be ≥ 1, found \(batch)", at: nil)
        }
        elaborator.run(program)
        let diagnostics = lexer.sink.diagnostics + parser.sink.diagnostics + elaborator.sink.diagnostics
        guard diagnostics.isEmpty else {
            throw DSLError(fileName: fileName, diagnostics: diagnostics, source: source)
        }
        let items = elaborator.imageItems
        return ElaboratedNetwork(graph: elaborator.graph, preprocess: items.preprocess, labels: items.labels,
                                 labelsPath: items.labelsPath, notes: items.notes)
    }
}
