// The pipeline table: every pass, in the order the compiler runs them.

/// The passes resnetc knows, and the default order.
public enum PassPipeline {
    /// The default pipeline (`-O`): clean up (whole-map average pools become global ones, kernel
    /// taps that only read padding go), fold batch norms, fuse, pad channel counts for the
    /// blocked layout (the compiler skips `pad-channels` under `--layout nchw`).
    ///
    /// Dead nodes go before folding and fusion: a dead reader of a conv would otherwise stop its
    /// batch norm or add from being fused on this run but not on the next, so the pipeline would
    /// not be idempotent. Folding and fusion forward or re-emit nodes and never leave dead ones.
    public static let standard: [Pass] = [
        dropIdentitiesPass,
        globalPoolPass,
        eliminateCommonSubexpressionsPass,
        removeDeadNodesPass,
        trimPaddedTapsPass,
        foldBatchNormPass,
        fuseResidualPass,
        fuseActivationPass,
        padChannelsPass,
    ]

    /// Every pass by name (the names `--passes`, `--disable-pass` and `--print-after` take).
    public static var all: [String: Pass] {
        Dictionary(uniqueKeysWithValues: standard.map { ($0.name, $0) })
    }

    /// Resolves a comma-separated list of pass names, in the given order.
    public static func passes(named names: [String]) throws(UnknownPassError) -> [Pass] {
        try names.map { name throws(UnknownPassError) in
            guard let pass = all[name] else { throw UnknownPassError(name: name, known: standard.map(\.name)) }
            return pass
        }
    }
}

/// A pass name that is not in the pipeline table.
public struct UnknownPassError: Error, Sendable, CustomStringConvertible {
    public var name: String
    public var known: [String]
    /// An error for `name`, listing the `known` pass names.
    public init(name: String, known: [String]) {
        self.name = name
        self.known = known
    }
    public var description: String {
        "unknown pass '\(name)'; known passes: \(known.joined(separator: ", "))"
    }
}
