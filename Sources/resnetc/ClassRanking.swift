// The top classes of a model's [N, classes] output: rank, class index, name, score and softmax
// probability, printed as text lines or as JSON.
import Foundation
import ResNetRuntime

/// One ranked class of one output row.
struct RankedClass {
    var rank: Int
    var index: Int
    var label: String?
    var score: Float
    var probability: Double

    /// `{"class": 3, "label": "three", "probability": 0.98, "rank": 1, "score": 7.1}`.
    var json: [String: Any] {
        var object: [String: Any] = ["rank": rank, "class": index, "score": Double(score), "probability": probability]
        if let label { object["label"] = label }
        return object
    }
}

enum ClassRanking {
    /// The `top` best classes of each row of a 2-D `output`, highest score first (ties: lower
    /// index first); probabilities are the row's softmax, in double precision.
    static func rank(_ output: Tensor, top: Int, labels: [String]?) -> [[RankedClass]] {
        guard output.shape.count == 2 else { return [] }
        let classes = output.shape[1]
        return (0..<output.shape[0]).map { row in
            let logits = Array(output.data[row * classes..<(row + 1) * classes])
            let maxLogit = logits.max() ?? 0
            let exps = logits.map { Foundation.exp(Double($0 - maxLogit)) }
            let total = exps.reduce(0, +)
            let ranked = logits.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
            return ranked.prefix(top).enumerated().map { rank, index in
                RankedClass(rank: rank + 1, index: index, label: labels.flatMap { index < $0.count ? $0[index] : nil },
                            score: logits[index], probability: exps[index] / total)
            }
        }
    }

    /// Text lines for one output: its name and shape, then the ranked classes of each row
    /// (or min/max/mean when the output is not [N, classes]).
    static func describe(_ output: Tensor, name: String, top: Int, labels: [String]?) -> String {
        var lines = ["output '\(name)' \(output.shape.shapeDescription)"]
        guard output.shape.count == 2, top > 0 else {
            let finite = output.data.filter(\.isFinite)
            lines.append(String(format: "  min %.6g  max %.6g  mean %.6g", finite.min() ?? .nan, finite.max() ?? .nan,
                                finite.isEmpty ? .nan : finite.reduce(0, +) / Float(finite.count)))
            return lines.joined(separator: "\n")
        }
        for (row, ranked) in rank(output, top: top, labels: labels).enumerated() {
            if output.shape[0] > 1 { lines.append("  [\(row)]") }
            for entry in ranked {
                var line = String(format: "  %2d. class %4d  score %12.6g  p %.4f", entry.rank, entry.index,
                                  entry.score, entry.probability)
                if let label = entry.label { line += "  " + label }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// One output as a JSON object: name, shape and, for [N, classes], each row's ranked classes.
    static func json(_ output: Tensor, name: String, top: Int, labels: [String]?) -> [String: Any] {
        var object: [String: Any] = ["name": name, "shape": output.shape]
        if output.shape.count == 2 {
            object["rows"] = rank(output, top: top, labels: labels).map { $0.map(\.json) }
        }
        return object
    }
}
