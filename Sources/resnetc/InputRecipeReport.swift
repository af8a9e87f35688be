// How `resnetc inspect` describes what a compiled model carries for reading images: its
// preprocessing recipe and its class names.
import Foundation
import ResNetRuntime

enum InputRecipeReport {
    /// `resize 256 → center crop 224×224 → scale 0.00392157 → mean [...] → std [...]`, or nil.
    static func describe(_ recipe: Preprocessing?) -> String? {
        guard let recipe else { return nil }
        var parts: [String] = []
        switch recipe.resize {
        case .shorterSide(let size)?: parts.append("resize shorter side to \(size)")
        case .exact(let height, let width)?: parts.append("resize to \(height)×\(width)")
        case nil: break
        }
        if let crop = recipe.centerCrop, crop.count == 2 { parts.append("center crop \(crop[0])×\(crop[1])") }
        if recipe.scale != 1 { parts.append("scale \(number(recipe.scale))") }
        if recipe.mean.contains(where: { $0 != 0 }) { parts.append("mean [\(recipe.mean.map(number).joined(separator: ", "))]") }
        if recipe.std.contains(where: { $0 != 1 }) { parts.append("std [\(recipe.std.map(number).joined(separator: ", "))]") }
        return parts.isEmpty ? "none (pixels 0…255 as they are)" : parts.joined(separator: " → ")
    }

    /// `1000 (tench, goldfish, great white shark, …)`, or nil.
    static func describe(labels: [String]?) -> String? {
        guard let labels, !labels.isEmpty else { return nil }
        let shown = labels.prefix(3).joined(separator: ", ")
        return "\(labels.count) (\(shown)\(labels.count > 3 ? ", …" : ""))"
    }

    /// Up to 6 significant digits, no trailing zeros.
    private static func number(_ value: Double) -> String {
        var text = String(format: "%.6g", value)
        if text.contains("."), !text.contains("e") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
