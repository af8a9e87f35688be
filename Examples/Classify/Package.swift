// swift-tools-version: 6.0
// classify: a program that embeds the resnetc runtime. It depends on the runtime library alone
// (not the compiler): it loads a compiled .rnc model, runs one input and prints the top-5.
import PackageDescription

let package = Package(
    name: "Classify",
    // A path dependency is otherwise identified by its directory's name, which depends on where
    // the repository was cloned; `name:` pins it so the product reference below always resolves.
    dependencies: [.package(name: "resnetc", path: "../..")],
    targets: [
        .executableTarget(name: "classify", dependencies: [.product(name: "ResNetRuntime", package: "resnetc")]),
    ],
    swiftLanguageModes: [.v6]
)
