// Paths and loaders for the image fixtures in Tests/Fixtures/images (made by
// Tools/make_image_fixtures.py), found from this file's location.
import Foundation
import ResNetRuntime

enum ImageFixtures {
    /// The repository root: the first directory above this file that holds Package.swift.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
            url.deleteLastPathComponent()
        }
        return "."
    }()

    /// `Tests/Fixtures/images/<name>` as an absolute path.
    static func path(_ name: String) -> String { root + "/Tests/Fixtures/images/" + name }

    /// The bytes of a fixture.
    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }

    /// The reference pixels `<name>.npy` (HWC) as floats.
    static func pixels(_ name: String) throws -> Tensor { try NPY.read(path: path(name + ".npy")) }
}
