// Binding a weights file to a graph: every parameter checked, all problems reported at once.
import ResNetRuntime

/// Fills a graph's node parameters from a safetensors file.
public enum WeightBinder {
    /// Returns `graph` with every parameter loaded; throws one error listing every missing,
    /// misshaped, non-float or unexpected tensor (`*.num_batches_tracked` is ignored).
    public static func bind(_ graph: Graph, from file: SafetensorsFile) throws(WeightError) -> Graph {
        var bound = graph
        var problems: [String] = []
        var used = Set<String>()
        var missing: [String] = []
        for node in graph.nodes {
            let shapes = node.op.parameterShapes(inputs: node.inputs.map { graph.nodes[$0].shape })
            for (param, expected) in shapes {
                let key = node.key(param)
                used.insert(key)
                guard let info = file.info(key) else {
                    missing.append(key)
                    problems.append("missing tensor '\(key)' (expected shape \(describe(expected)))")
                    continue
                }
                guard SafetensorsDType.floatTypes.contains(info.dtype) else {
                    problems.append("tensor '\(key)': dtype \(info.dtype) cannot be a weight (expected F32, F16 or BF16)")
                    continue
                }
                guard info.shape == expected else {
                    problems.append("tensor '\(key)': expected shape \(describe(expected)), found \(describe(info.shape))")
                    continue
                }
                do {
                    bound.nodes[node.id].params[param] = try file.floatTensor(key)
                } catch {
                    problems += error.problems
                }
            }
        }
        for name in file.tensorNames where !used.contains(name) && !name.hasSuffix(".num_batches_tracked") {
            var problem = "unexpected tensor '\(name)' (no layer uses it)"
            if let guess = closest(to: name, among: missing) { problem += "; did you mean '\(guess)'?" }
            problems.append(problem)
        }
        guard problems.isEmpty else { throw WeightError(file: file.name, problems: problems) }
        return bound
    }

    private static func describe(_ shape: [Int]) -> String {
        shape.isEmpty ? "scalar" : shape.shapeDescription
    }

    /// A missing name within max(2, len/3) edits of `name`: tensor names are long and dotted.
    private static func closest(to name: String, among candidates: [String]) -> String? {
        Suggestion.closest(to: name, in: candidates, limit: max(2, name.count / 3))
    }
}
