// Why an image could not be read or prepared for a model; each message names the file.

/// An image that cannot be read, decoded or fitted to a model's input.
public struct ImageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file (or the name the bytes were given).
    public var path: String
    /// What is wrong, e.g. `bad PNG: chunk 'IDAT' has a bad CRC`.
    public var reason: String

    /// Makes an error about `path`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `photo.png: bad PNG: …`.
    public var description: String { "\(path): \(reason)" }
}
