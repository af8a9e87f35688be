// Runs the built `resnetc` executable (it sits next to the test bundle in the build directory)
// and captures its exit status and output through files, so large output cannot block it.
import Foundation

/// The result of one `resnetc` invocation.
struct ToolResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String
    var description: String { "exit \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
}

enum CommandLineTool {
    /// `.build/<configuration>/resnetc`, found from the test bundle's location.
    static let executable: String = {
        var url = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        for _ in 0..<4 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("resnetc").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return Repository.path(".build/release/resnetc")
    }()

    /// A fresh, empty directory for one test's files.
    static func scratchDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "resnetc-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs `resnetc arguments…` in `directory` (default: the repository root).
    static func run(_ arguments: [String], in directory: String = Repository.root) throws -> ToolResult {
        let scratch = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outPath = scratch + "/stdout", errPath = scratch + "/stderr"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try process.run()
        process.waitUntilExit()
        let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
        return ToolResult(status: process.terminationStatus, stdout: read(outPath), stderr: read(errPath))
    }
}
