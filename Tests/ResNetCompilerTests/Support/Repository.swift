// Paths into the repository for tests (found from this file's location, not the working
// directory) and the fixture manifest written by Tools/make_fixtures.py.
import Foundation
import ResNetRuntime

/// The checkout the tests run from.
enum Repository {
    /// The directory holding Package.swift.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
            url.deleteLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }()

    /// `relative` resolved against the repository root.
    static func path(_ relative: String) -> String { root + "/" + relative }

    /// Every `Graphs/*.net` file name (e.g. `resnet50.net`), sorted.
    static var graphFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path("Graphs"))) ?? []
        return names.filter { $0.hasSuffix(".net") }.sorted()
    }

    /// The source text of `Graphs/<name>`.
    static func graphSource(_ name: String) throws -> String {
        try String(contentsOfFile: path("Graphs/" + name), encoding: .utf8)
    }
}

/// One entry of `Tests/Fixtures/fixtures.json`.
struct Fixture: Decodable, Sendable, CustomStringConvertible {
    let name: String
    let net: String
    let defines: [String: Int]
    let batch: Int
    let input_shape: [Int]
    let output_shape: [Int]
    let params: Int
    let max_abs_output: Double

    var description: String { name }

    static let all: [Fixture] = {
        guard let data = FileManager.default.contents(atPath: Repository.path("Tests/Fixtures/fixtures.json")),
              let list = try? JSONDecoder().decode([Fixture].self, from: data) else { return [] }
        return list
    }()

    func file(_ suffix: String) -> String { Repository.path("Tests/Fixtures/\(name)\(suffix)") }
}

/// Largest |a[i] − b[i]|, or infinity when the shapes differ.
func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Double {
    guard a.shape == b.shape else { return .infinity }
    var worst = 0.0
    for (x, y) in zip(a.data, b.data) { worst = max(worst, abs(Double(x) - Double(y))) }
    return worst
}

/// Largest |x| in a tensor.
func maxAbs(_ t: Tensor) -> Double { t.data.reduce(0) { max($0, abs(Double($1))) } }
