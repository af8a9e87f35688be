// Number formatting shared by the commands' human-readable output.
import Foundation

func formatCount(_ n: Int) -> String {
    let digits = String(n)
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return out
}

func formatBytes(_ bytes: Int) -> String {
    if bytes >= 1 << 20 { return String(format: "%.2f MiB", Double(bytes) / Double(1 << 20)) }
    if bytes >= 1 << 10 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
    return "\(bytes) B"
}

func formatFLOPs(_ flops: Int) -> String {
    if flops >= 1_000_000_000 { return String(format: "%.2f GFLOPs", Double(flops) / 1e9) }
    return String(format: "%.2f MFLOPs", Double(flops) / 1e6)
}

