// A labelled dataset as a folder of images and a CSV of `file,label` rows (label: a class index
// or one of the model's class names); each image goes through the model's preprocessing.
import Foundation
import ResNetRuntime

enum ImageFolderDataset {
    /// The largest CSV read, in bytes.
    static let maxCSVBytes = 1 << 26

    /// Reads `csvPath` (default `directory/labels.csv`) and makes a dataset whose samples are
    /// the images, named relative to `directory`, read when the evaluation needs them.
    static func load(directory: String, csvPath: String?, model: Model, preprocess: Bool) throws -> LabelledDataset {
        let csv = csvPath ?? (directory.hasSuffix("/") ? directory : directory + "/") + "labels.csv"
        let rows = try readRows(csv, labels: model.plan.labels)
        guard let input = model.plan.inputs.first else { throw EvaluationError("the model has no input") }
        let shape = [1] + input.tensor.shape.dropFirst()
        let recipe = preprocess ? model.plan.preprocess : nil
        let files = rows.map { (directory.hasSuffix("/") ? directory : directory + "/") + $0.file }
        return LabelledDataset(sampleShape: nil, classes: rows.map(\.label)) { i in
            let image = try ImageReader.read(path: files[i])
            return try image.tensor(for: shape, inputName: input.name, preprocessing: recipe, path: files[i]).data
        }
    }

    /// The `file,label` rows of a CSV whose first line is the header `file,label`.
    static func readRows(_ path: String, labels: [String]?) throws -> [(file: String, label: Int)] {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int else {
            throw EvaluationError("\(path): no such file")
        }
        guard size <= maxCSVBytes else { throw EvaluationError("\(path): file is \(size) bytes; the limit is \(maxCSVBytes)") }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw EvaluationError("\(path): cannot read the file as UTF-8 text")
        }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard lines.first?.replacingOccurrences(of: " ", with: "") == "file,label" else {
            throw EvaluationError("\(path): line 1: expected the header 'file,label', found '\(lines.first ?? "")'")
        }
        var rows: [(file: String, label: Int)] = []
        for (number, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            guard let comma = line.lastIndex(of: ",") else {
                throw EvaluationError("\(path): line \(number + 1): expected 'file,label', found '\(line)'")
            }
            let file = line[..<comma].trimmingCharacters(in: .whitespaces)
            let label = line[line.index(after: comma)...].trimmingCharacters(in: .whitespaces)
            guard !file.isEmpty else { throw EvaluationError("\(path): line \(number + 1): the file name is empty") }
            rows.append((file, try classIndex(label, labels: labels, where: "\(path): line \(number + 1)")))
        }
        guard !rows.isEmpty else { throw EvaluationError("\(path): no samples after the header") }
        return rows
    }

    /// A class index written as a number, or a class name of the model's labels.
    private static func classIndex(_ text: String, labels: [String]?, where place: String) throws -> Int {
        if let index = Int(text), index >= 0 { return index }
        if let labels, let index = labels.firstIndex(of: text) { return index }
        guard let labels else {
            throw EvaluationError("\(place): label '\(text)' is not a class index (the model has no class names)")
        }
        var message = "\(place): unknown class '\(text)'"
        if let near = nearestName(to: text, in: labels) { message += "; did you mean '\(near)'?" }
        throw EvaluationError(message)
    }
}
