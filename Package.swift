// swift-tools-version: 6.0
// resnetc: a static computation-graph compiler for residual networks.
// ResNetRuntime depends on nothing; ResNetCompiler depends on the runtime; resnetc is the CLI.
import PackageDescription

// The runtime's kernels are hot and index only memory the plan validator has checked, so
// release builds drop overflow and bounds checks there. The compiler parses untrusted text and
// keeps every check: a bug there must trap, never corrupt memory.
let fastRelease: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

let package = Package(
    name: "resnetc",
    products: [
        .library(name: "ResNetRuntime", targets: ["ResNetRuntime"]),
        .library(name: "ResNetCompiler", targets: ["ResNetCompiler"]),
        .executable(name: "resnetc", targets: ["resnetc"]),
    ],
    targets: [
        .target(name: "ResNetRuntime", swiftSettings: fastRelease),
        .target(name: "ResNetCompiler", dependencies: ["ResNetRuntime"]),
        .executableTarget(name: "resnetc", dependencies: ["ResNetCompiler", "ResNetRuntime"]),
        .testTarget(name: "ResNetRuntimeTests", dependencies: ["ResNetRuntime"]),
        // The CLI tests run the built `resnetc`; depending on it makes `swift test` build it.
        .testTarget(name: "ResNetCompilerTests", dependencies: ["ResNetCompiler", "ResNetRuntime", "resnetc"]),
    ],
    swiftLanguageModes: [.v6]
)
