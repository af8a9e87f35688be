// Class-name files: one name per line (UTF-8), e.g. Graphs/imagenet_classes.txt, and how many
// classes a model's first output has.
import Foundation

/// A labels file that cannot be read or does not fit a model.
public struct LabelsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The labels file.
    public var path: String
    /// What is wrong.
    public var reason: String

    /// Makes an error about `path`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `classes.txt: line 3 is empty`.
    public var description: String { "\(path): \(reason)" }
}

/// Reads and checks class-name files.
public enum ClassLabels {
    /// The largest labels file read, in bytes (16 MiB).
    public static let maxFileBytes = 1 << 24

    /// Reads the names in the file at `path`, one per non-final line; `\r\n` endings are
    /// accepted, a final newline is optional, an empty name is an error.
    public static func read(path: String) throws(LabelsError) -> [String] {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int else {
            throw LabelsError(path: path, reason: "no such file")
        }
        guard size <= maxFileBytes else {
            throw LabelsError(path: path, reason: "file is \(size) bytes; the limit is \(maxFileBytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LabelsError(path: path, reason: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LabelsError(path: path, reason: "not valid UTF-8")
        }
        return try parse(text, path: path)
    }

    /// Splits labels text into names; `path` names it in errors.
    public static func parse(_ text: String, path: String) throws(LabelsError) -> [String] {
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { throw LabelsError(path: path, reason: "the file has no labels") }
        if let empty = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw LabelsError(path: path, reason: "line \(empty + 1) is empty; every line names one class")
        }
        return lines
    }

    /// The class count of a model whose first output is `[N, classes]`, or nil for other shapes.
    public static func classCount(of plan: Plan) -> Int? {
        guard let shape = plan.outputs.first?.tensor.shape, shape.count == 2 else { return nil }
        return shape[1]
    }

    /// Checks that `labels` (read from `path`) name every class of `plan`'s first output.
    public static func check(_ labels: [String], fit plan: Plan, path: String) throws(LabelsError) {
        guard let classes = classCount(of: plan) else {
            throw LabelsError(path: path, reason: "the model's first output is not [N, classes]; labels do not apply")
        }
        guard labels.count == classes else {
            throw LabelsError(path: path, reason: "has \(labels.count) labels; the model's output '\(plan.outputs[0].name)' has \(classes) classes")
        }
    }
}
