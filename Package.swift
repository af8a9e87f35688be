// swift-tools-version: 6.0
// resnetc: a static computation-graph compiler for residual networks.
// ResNetRuntime depends only on this package's kernel modules; ResNetCompiler depends on the
// runtime; resnetc is the CLI.
import PackageDescription

// The runtime's kernels are hot and index only memory the plan validator has checked, so
// release builds drop overflow and bounds checks there. The compiler parses untrusted text and
// keeps every check: a bug there must trap, never corrupt memory.
let fastRelease: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

// The convolution/linear kernels are compiled three times from the same sources (the AVX2 and
// portable directories hold symlinks to the AVX-512 sources), each with its own target flags,
// so one binary carries zmm FMAs for AVX-512 CPUs yet never executes them elsewhere: the runtime
// picks a module by CPUID at load time. Target flags cannot be set per file, hence the modules.
func kernelModule(_ name: String, _ flags: [String]) -> Target {
    .target(name: name, dependencies: ["ResNetKernelABI", "ResNetPrefetch"],
            swiftSettings: fastRelease + (flags.isEmpty ? [] : [.unsafeFlags(flags)]))
}

// The x86-64 levels exist only on x86-64 hosts; elsewhere every module is the portable build
// (the runtime's CPUID check then only ever offers `.portable`).
#if arch(x86_64)
let avx512Flags = ["-Xcc", "-march=x86-64-v4"], avx2Flags = ["-Xcc", "-march=x86-64-v3"]
#else
let avx512Flags: [String] = [], avx2Flags: [String] = []
#endif

let package = Package(
    name: "resnetc",
    products: [
        .library(name: "ResNetRuntime", targets: ["ResNetRuntime"]),
        .library(name: "ResNetCompiler", targets: ["ResNetCompiler"]),
        .executable(name: "resnetc", targets: ["resnetc"]),
    ],
    targets: [
        .target(name: "ResNetKernelABI", swiftSettings: fastRelease),
        .target(name: "ResNetPrefetch"),
        kernelModule("ResNetKernelsAVX512", avx512Flags),
        kernelModule("ResNetKernelsAVX2", avx2Flags),
        kernelModule("ResNetKernelsPortable", []),
        .target(name: "ResNetRuntime",
                dependencies: ["ResNetKernelABI", "ResNetKernelsAVX512", "ResNetKernelsAVX2", "ResNetKernelsPortable"],
                swiftSettings: fastRelease),
        .target(name: "ResNetCompiler", dependencies: ["ResNetRuntime"]),
        .executableTarget(name: "resnetc", dependencies: ["ResNetCompiler", "ResNetRuntime"]),
        .testTarget(name: "ResNetRuntimeTests", dependencies: ["ResNetRuntime", "ResNetKernelABI"]),
        // The CLI tests run the built `resnetc`; depending on it makes `swift test` build it.
        .testTarget(name: "ResNetCompilerTests", dependencies: ["ResNetCompiler", "ResNetRuntime", "resnetc"]),
    ],
    swiftLanguageModes: [.v6]
)
