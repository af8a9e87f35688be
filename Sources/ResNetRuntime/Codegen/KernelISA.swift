// Which compiled copy of the SIMD kernels runs: detected once from the CPU's feature flags,
// overridable by RESNETC_ISA or KernelOptions, never one the CPU cannot execute.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An instruction-set level the conv/linear kernels are compiled for.
public enum KernelISA: String, CaseIterable, Hashable, Sendable {
    /// x86-64-v4: 16-lane vectors, 12 × 32 register tiles.
    case avx512
    /// x86-64-v3: 8-lane vectors with FMA, 6 × 16 tiles.
    case avx2
    /// Baseline: 4-lane vectors, separate multiply and add, 6 × 8 tiles. Runs everywhere.
    case portable

    /// The levels this CPU can execute, fastest first (always ends with `.portable`).
    public static let available: [KernelISA] = detect()

    /// The level used when nothing is forced: `RESNETC_ISA` (`avx512`, `avx2`, `portable`) if set
    /// and executable here, else the fastest available.
    public static var preferred: KernelISA {
        if let raw = getenv("RESNETC_ISA"), let named = KernelISA(rawValue: String(cString: raw)) {
            return resolve(named)
        }
        return available[0]
    }

    /// `requested` if this CPU can run it, otherwise the fastest level it can.
    public static func resolve(_ requested: KernelISA) -> KernelISA {
        available.contains(requested) ? requested : available[0]
    }

    private static func detect() -> [KernelISA] {
        #if arch(x86_64) && os(Linux)
        let flags = cpuFlags()
        var levels: [KernelISA] = []
        let v3: Set<String> = ["avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe"]
        let v4: Set<String> = ["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"]
        if v3.isSubset(of: flags) && v4.isSubset(of: flags) { levels.append(.avx512) }
        if v3.isSubset(of: flags) { levels.append(.avx2) }
        return levels + [.portable]
        #else
        return [.portable]
        #endif
    }

    /// The `flags` line of /proc/cpuinfo (features the kernel has enabled), or empty.
    private static func cpuFlags() -> Set<String> {
        guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            guard text.hasPrefix("flags") else { continue }
            let values = text.split(separator: ":", maxSplits: 1).last ?? ""
            return Set(values.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init))
        }
        return []
    }
}
