// Keeps Docs/Errors.md and the code in step: every message in the catalogue's tables is produced
// by an input (ErrorCatalogueInputs), and every input's template is still in the catalogue.
import Foundation
import ResNetRuntime
import Testing

@Suite("Error catalogue (Docs/Errors.md)")
struct ErrorCatalogueTests {
    /// The sections whose tables list messages; a new section of messages goes here, with inputs.
    static let sections = ["Network source", "Model files", "Tensors", "Limits", "ONNX models", "Images and labels"]

    /// Every backquoted message in the tables of `sections` (markdown's `\|` unescaped): all of
    /// the message cell's spans, and the further messages a later (cause) cell names in prose
    /// ("also `varint runs past the end of the data`").
    static func catalogue() throws -> [String] {
        let text = try String(contentsOfFile: Repository.path("Docs/Errors.md"), encoding: .utf8)
        var messages: [String] = []
        var inSection = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") {
                inSection = sections.contains { line.dropFirst(3).hasPrefix($0) }
                continue
            }
            guard inSection, line.hasPrefix("|"), !line.hasPrefix("|---") else { continue }
            let cells = line.replacingOccurrences(of: "\\|", with: "\u{1}").split(separator: "|")
            // Message tables put the message first ("| Message | Cause |"); the DSL table second.
            guard let first = cells.firstIndex(where: { $0.contains("`") && !$0.contains("`--define`") }) else { continue }
            for (position, cell) in cells[first...].enumerated() {
                let spans = cell.split(separator: "`", omittingEmptySubsequences: false)
                for (index, span) in spans.enumerated() where index % 2 == 1 && (position == 0 || isMessage(span)) {
                    messages.append(span.replacingOccurrences(of: "\u{1}", with: "|"))
                }
            }
        }
        return messages
    }

    /// Whether a span in a cause cell is a message. The cause cells also quote what is not one:
    /// flags and command lines (`--labels`, `run --input`, `--define classes=10`), names of
    /// files, fields and keywords (`labels.csv`, `auto_pad`, `Session.run`) and values
    /// (`[N, -1]`). Those have no space, hold `--` or start with `[`; every message has a space.
    static func isMessage(_ span: Substring) -> Bool {
        span.contains(" ") && !span.contains("--") && !span.hasPrefix("[")
    }

    /// A regex for a catalogue template: `…` is any text, a lone `N`/`M` any number (or the
    /// letter itself, as messages print it in `[N, classes]`), a leading `file`/`m.rnc`/`x.npy`
    /// any path ending so.
    static func pattern(_ template: String) throws -> Regex<AnyRegexOutput> {
        var escaped = NSRegularExpression.escapedPattern(for: template)
        escaped = escaped.replacingOccurrences(of: "…", with: ".*")
        escaped = escaped.replacingOccurrences(of: #"\bN\b"#, with: #"(?:\\d+|N)"#, options: .regularExpression)
        escaped = escaped.replacingOccurrences(of: #"\bM\b"#, with: #"(?:\\d+|M)"#, options: .regularExpression)
        if escaped.hasPrefix("file:") { escaped = ".*" + escaped.dropFirst(4) }
        return try Regex(escaped)
    }

    @Test("every catalogued message has an input, and every input's message is catalogued")
    func catalogueAndInputsAgree() throws {
        let catalogue = try Self.catalogue()
        #expect(catalogue.count >= 129, "the parser found only \(catalogue.count) messages")
        let inputs = Set(ErrorCatalogueInputs.all.keys)
        for message in catalogue where !inputs.contains(message) {
            Issue.record("Docs/Errors.md lists \"\(message)\" but no input in ErrorCatalogueInputs produces it")
        }
        for template in inputs.subtracting(catalogue) {
            Issue.record("ErrorCatalogueInputs has \"\(template)\", which Docs/Errors.md no longer lists")
        }
    }

    @Test("each input produces its catalogued message", arguments: ErrorCatalogueInputs.all.keys.sorted())
    func inputProducesMessage(template: String) throws {
        let produce = try #require(ErrorCatalogueInputs.all[template])
        let text = try produce()
        #expect(text.contains(try Self.pattern(template)), "expected \"\(template)\", got:\n\(text)")
    }

    @Test("every RuntimeError case is catalogued")
    func everyRuntimeErrorIsCatalogued() throws {
        let catalogue = try Self.catalogue().joined(separator: "\n")
        // The switch is exhaustive: a new case does not compile until it is given a catalogue
        // text here (and so in Docs/Errors.md).
        func catalogued(_ error: RuntimeError) -> String {
            switch error {
            case .fileNotFound: return "m.rnc: no such file"
            case .unreadable: return "cannot read"
            case .unwritable: return "cannot write"
            case .notAModel: return "not a resnetc model"
            case .unsupportedVersion: return "unsupported model format version"
            case .corruptHeader: return "corrupt header"
            case .truncated: return "truncated"
            case .checksumMismatch: return "checksum mismatch"
            case .malformedPlan: return "malformed plan"
            case .invalidPlan: return "invalid plan at"
            case .outOfMemory: return "out of memory"
            case .threadStart: return "worker thread"
            case .limitExceeded: return "more than the limit of"
            case .inputCount: return "input tensor"
            case .inputShape: return "expected shape"
            case .bufferSize: return "buffer for"
            case .npy: return "invalid .npy"
            }
        }
        let samples: [RuntimeError] = [
            .fileNotFound(path: ""), .unreadable(path: "", reason: ""), .unwritable(path: "", reason: ""),
            .notAModel(path: ""), .unsupportedVersion(path: "", found: 0, supported: 0),
            .corruptHeader(path: "", reason: ""), .truncated(path: "", expected: 0, found: 0),
            .checksumMismatch(path: "", expected: 0, found: 0), .malformedPlan(path: "", reason: ""),
            .invalidPlan(step: "", reason: ""), .outOfMemory(bytes: 0), .threadStart(threads: 2),
            .limitExceeded(path: "", what: "", bytes: 0, limit: 0, setting: ""),
            .inputCount(expected: 0, found: 0), .inputShape(name: "", expected: [], found: []),
            .bufferSize(name: "", expected: 0, found: 0), .npy(path: "", reason: ""),
        ]
        let fullText = try String(contentsOfFile: Repository.path("Docs/Errors.md"), encoding: .utf8)
        for error in samples {
            let text = catalogued(error)
            #expect(catalogue.contains(text) || fullText.contains(text),
                    "RuntimeError.\(error) has no entry in Docs/Errors.md (looked for \"\(text)\")")
        }
    }
}
