// The importer's errors: each names the .onnx file, and the node or tensor when there is one.

/// Why an ONNX model could not be imported.
public struct ONNXError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as given (or the name passed with the bytes).
    public var file: String
    /// The message after `error: `.
    public var message: String

    /// An error about `file`.
    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    /// `model.onnx: error: <message>`, the form every resnetc file error takes.
    public var description: String { "\(file): error: \(message)" }

    /// Bytes that are not a well-formed protobuf `ModelProto`.
    static func malformed(_ file: String, _ error: ProtobufError) -> ONNXError {
        ONNXError(file: file, message: "malformed ONNX file: \(error.description)")
    }

    /// A problem with one node: `node '/layer1/Conv' (Conv): <reason>`.
    static func node(_ file: String, _ node: ONNXNode, _ reason: String) -> ONNXError {
        ONNXError(file: file, message: "node '\(node.name)' (\(node.opType)): \(reason)")
    }
}
