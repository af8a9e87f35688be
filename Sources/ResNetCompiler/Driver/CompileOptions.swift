// What a compilation is asked to do: batch and parameter overrides, weights, seed, layouts.

/// Options for `Compiler.compile`.
public struct CompileOptions: Sendable {
    /// Replaces the input's batch dimension (`--batch N`).
    public var batch: Int?
    /// Overrides the network's top-level `param`s (`--define name=value`).
    public var defines: [String: Int]
    /// A safetensors file with torchvision-named tensors; nil means seeded weights.
    public var weightsPath: String?
    /// Seed of the synthetic weights used when `weightsPath` is nil.
    public var seed: UInt64
    /// The passes to run, in order (`-O0` is an empty list).
    public var passes: [Pass]
    /// Pass names after which the IR is printed ("all" for every pass).
    public var printAfter: Set<String>
    /// How large a network the source may describe (`FrontendLimits.standard` by default).
    public var limits: FrontendLimits = .standard
    /// A class-names file that replaces the `.net` file's `labels` (`--labels FILE`).
    public var labelsPath: String?
    /// Where the `.net` file's `labels "file"` is looked up; `Compiler.compile(path:)` sets it
    /// to the source's directory. Nil: the labels file is not read.
    public var labelsDirectory: String?
    /// Whether activations may be stored channel-blocked (`--layout blocked`; see
    /// `LoweringOptions.blockedLayout`).
    public var blockedLayout: Bool = LoweringOptions.blockedLayoutByDefault

    public init(batch: Int? = nil, defines: [String: Int] = [:], weightsPath: String? = nil, seed: UInt64 = 0,
                passes: [Pass] = PassPipeline.standard, printAfter: Set<String> = []) {
        self.batch = batch
        self.defines = defines
        self.weightsPath = weightsPath
        self.seed = seed
        self.passes = passes
        self.printAfter = printAfter
    }
}
