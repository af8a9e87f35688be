// swift-tools-version: 6.0
// resnetc: a static computation-graph compiler for residual networks.
// ResNetRuntime depends on nothing; ResNetCompiler depends on the runtime; resnetc is the CLI.
import PackageDescription

// Kernels and interpreter loops are hot; release builds drop overflow checks there.
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
        .target(name: "ResNetCompiler", dependencies: ["ResNetRuntime"], swiftSettings: fastRelease),
        .executableTarget(name: "resnetc", dependencies: ["ResNetCompiler", "ResNetRuntime"]),
        .testTarget(name: "ResNetRuntimeTests", dependencies: ["ResNetRuntime"]),
        .testTarget(name: "ResNetCompilerTests", dependencies: ["ResNetCompiler", "ResNetRuntime"]),
    ],
    swiftLanguageModes: [.v6]
)
