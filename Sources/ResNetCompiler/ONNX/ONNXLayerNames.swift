// Layer names for imported nodes: torchvision's state_dict prefixes when the weights carry them
// (`layer1.0.conv1.weight` → `layer1.0.conv1`), else the exporter's module scope
// (`/layer1/layer1.0/conv1/Conv` → `layer1.0.conv1`), always valid `.net` labels and unique.

/// Hands out unique, DSL-valid layer names.
struct ONNXLayerNames {
    private var used: Set<String> = []
    private var counters: [String: Int] = [:]

    /// Words the `.net` lexer reserves; a label segment equal to one gets a `_` appended.
    static let keywords: Set<String> = ["network", "param", "input", "defaults", "block", "if", "else", "return",
                                        "output", "repeat", "as", "and", "or", "not", "true", "false"]

    /// The name of the layer `node` creates, whose main weight is the initializer `weight`.
    mutating func layerName(node: ONNXNode, weight: String?, kind: String) -> String {
        var candidates: [String] = []
        if let weight, weight.hasSuffix(".weight") { candidates.append(String(weight.dropLast(".weight".count))) }
        candidates.append(Self.scopePath(node.name))
        if let weight, !weight.hasPrefix("onnx::") { candidates.append(weight) }
        candidates.append(node.name)
        let base = candidates.map(Self.label).first { !$0.isEmpty } ?? kind
        return unique(base)
    }

    /// Reserves `base`, or `base_1`, `base_2`, … when it is taken.
    mutating func unique(_ base: String) -> String {
        var name = base
        while used.contains(name) {
            counters[base, default: 0] += 1
            name = "\(base)_\(counters[base]!)"
        }
        used.insert(name)
        return name
    }

    /// `/layer1/layer1.0/conv1/Conv` → `layer1.0.conv1`: the scopes without the op, each scope
    /// that extends the previous one (`layer1` → `layer1.0`) replacing it.
    static func scopePath(_ nodeName: String) -> String {
        guard nodeName.hasPrefix("/") else { return "" }
        var parts = nodeName.split(separator: "/").map(String.init)
        guard parts.count >= 2 else { return "" }
        parts.removeLast()
        var path: [String] = []
        for part in parts {
            if let last = path.last, part.hasPrefix(last + ".") { path[path.count - 1] = part } else { path.append(part) }
        }
        return path.joined(separator: ".")
    }

    /// A valid label: dot-separated identifiers or integers (no leading zeros), no keywords.
    static func label(_ text: String) -> String {
        let segments = text.split(separator: ".", omittingEmptySubsequences: true).map { identifier(String($0), allowInteger: true) }
        return segments.joined(separator: ".")
    }

    /// A valid identifier (or, when allowed, an integer segment).
    static func identifier(_ text: String, allowInteger: Bool = false) -> String {
        if allowInteger, !text.isEmpty, text.allSatisfy(\.isASCIIDigit), text == "0" || !text.hasPrefix("0"), text.count < 10 {
            return text
        }
        var out = String(text.map { $0.isASCIIIdentifierCharacter ? $0 : "_" })
        if out.isEmpty { return "" }
        if out.first!.isASCIIDigit { out = "_" + out }
        if keywords.contains(out) { out += "_" }
        return out
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
    fileprivate var isASCIIIdentifierCharacter: Bool { isASCII && (isLetter || isNumber || self == "_") }
}
