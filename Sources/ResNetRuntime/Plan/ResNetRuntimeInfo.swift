// Version numbers of the library and of the `.rnc` format it reads and writes.

/// Versions of resnetc.
public enum ResNetRuntimeInfo {
    /// The release of resnetc (library and CLI).
    public static let version = "0.1.0"
}
