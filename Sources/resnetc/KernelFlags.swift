// Kernel choices the run-time commands (run, bench, eval) take from the command line.
import ResNetRuntime

enum KernelFlags {
    /// Flags (no value) every run-time command accepts.
    static let flags = ["--no-winograd"]

    /// The session's kernel options: `--no-winograd` runs 3×3 stride-1 convs with the direct
    /// blocked kernels instead of Winograd F(2,3).
    static func options(_ args: Arguments) -> KernelOptions {
        KernelOptions(winograd: !args.flag("--no-winograd"))
    }
}
