// Evaluates the small integer subgraphs exporters emit to compute pads and reshape targets
// (Shape → Gather → Unsqueeze → Concat, ConstantOfShape → Slice → Transpose → Cast, …), so the
// importer sees plain constants. Only constant inputs are folded; tensors stay tiny.

/// A constant tensor (row-major) whose values are held as doubles: exact for the integers
/// shapes and pads use, and for float32 values.
struct ONNXConstant: Sendable {
    var shape: [Int]
    var values: [Double]

    /// Most elements a folded constant may have (they are shapes and pads, not weights).
    static let maxFoldedElements = 1 << 16

    /// The values as integers (saturating, truncated toward zero as Cast does).
    var ints: [Int] { values.map { $0.isNaN ? 0 : Int(exactly: $0.rounded(.towardZero)) ?? ($0 < 0 ? Int.min : Int.max) } }
}

/// The constant-folding ops; each returns the result or a reason for the error message.
enum ONNXConstantFolding {
    /// Op types this file evaluates.
    static let opTypes: Set<String> = ["Constant", "ConstantOfShape", "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat",
                                       "Slice", "Transpose", "Cast"]

    typealias Folded = Result<ONNXConstant, ONNXValueError>

    static func fail(_ reason: String) -> Folded { .failure(ONNXValueError(reason)) }

    /// `Shape(x)` with the optional `start`/`end` of opset 15.
    static func shape(of shape: [Int], node: ONNXNode) -> Folded {
        let rank = shape.count
        func clampAxis(_ v: Int64?, _ fallback: Int) -> Int {
            guard let v else { return fallback }
            let a = v < 0 ? Int(clamping: v) + rank : Int(clamping: v)
            return min(max(a, 0), rank)
        }
        let start = clampAxis(node.attribute("start")?.int, 0), end = clampAxis(node.attribute("end")?.int, rank)
        let dims = start < end ? Array(shape[start..<end]) : []
        return .success(ONNXConstant(shape: [dims.count], values: dims.map(Double.init)))
    }

    /// `ConstantOfShape(shape)` filled with `value` (default 0).
    static func constantOfShape(_ shape: ONNXConstant, value: Double) -> Folded {
        let dims = shape.ints
        guard dims.allSatisfy({ $0 >= 0 }) else { return fail("shape \(dims) has a negative dimension") }
        let count = dims.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        guard count <= ONNXConstant.maxFoldedElements else { return fail("would make \(count) elements") }
        return .success(ONNXConstant(shape: dims, values: Array(repeating: value, count: count)))
    }

    /// `Gather(data, indices, axis)`.
    static func gather(_ data: ONNXConstant, _ indices: ONNXConstant, axis: Int) -> Folded {
        guard let axis = normalized(axis, rank: data.shape.count) else { return fail("axis \(axis) is out of range") }
        let outer = data.shape[..<axis].reduce(1, *), inner = data.shape[(axis + 1)...].reduce(1, *)
        let extent = data.shape[axis]
        guard outer * indices.values.count * inner <= ONNXConstant.maxFoldedElements else {
            return fail("would make more than \(ONNXConstant.maxFoldedElements) elements")
        }
        var values: [Double] = []
        for o in 0..<outer {
            for raw in indices.ints {
                let i = raw < 0 ? raw + extent : raw
                guard i >= 0, i < extent else { return fail("index \(raw) is out of range for dimension \(extent)") }
                values += data.values[(o * extent + i) * inner..<(o * extent + i + 1) * inner]
            }
        }
        let shape = Array(data.shape[..<axis]) + indices.shape + Array(data.shape[(axis + 1)...])
        return .success(ONNXConstant(shape: shape, values: values))
    }

    /// `Unsqueeze(data, axes)`.
    static func unsqueeze(_ data: ONNXConstant, axes: [Int]) -> Folded {
        let rank = data.shape.count + axes.count
        var shape = data.shape
        for axis in axes.map({ $0 < 0 ? $0 + rank : $0 }).sorted() {
            guard axis >= 0, axis <= shape.count else { return fail("axis \(axis) is out of range") }
            shape.insert(1, at: axis)
        }
        return .success(ONNXConstant(shape: shape, values: data.values))
    }

    /// `Squeeze(data, axes)` (all size-1 axes when none are given).
    static func squeeze(_ data: ONNXConstant, axes: [Int]?) -> Folded {
        let rank = data.shape.count
        let drop = Set((axes ?? data.shape.indices.filter { data.shape[$0] == 1 }).map { $0 < 0 ? $0 + rank : $0 })
        guard drop.allSatisfy({ $0 >= 0 && $0 < rank && data.shape[$0] == 1 }) else { return fail("cannot squeeze axes \(axes ?? [])") }
        return .success(ONNXConstant(shape: data.shape.indices.filter { !drop.contains($0) }.map { data.shape[$0] }, values: data.values))
    }

    /// `Concat(inputs, axis)`.
    static func concat(_ parts: [ONNXConstant], axis: Int) -> Folded {
        guard let first = parts.first, let axis = normalized(axis, rank: first.shape.count) else { return fail("bad axis \(axis)") }
        for part in parts where part.shape.count != first.shape.count
            || zip(part.shape, first.shape).enumerated().contains(where: { $0.offset != axis && $0.element.0 != $0.element.1 }) {
            return fail("inputs of shapes \(first.shape) and \(part.shape) do not concatenate on axis \(axis)")
        }
        let outer = first.shape[..<axis].reduce(1, *)
        var values: [Double] = []
        for o in 0..<outer {
            for part in parts {
                let chunk = part.shape[axis...].reduce(1, *)
                values += part.values[o * chunk..<(o + 1) * chunk]
            }
        }
        var shape = first.shape
        shape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        return .success(ONNXConstant(shape: shape, values: values))
    }

    /// `Transpose(data, perm)` (reversed axes when `perm` is absent).
    static func transpose(_ data: ONNXConstant, perm: [Int]?) -> Folded {
        let rank = data.shape.count
        let perm = perm ?? Array((0..<rank).reversed())
        guard perm.sorted() == Array(0..<rank) else { return fail("perm \(perm) is not a permutation of \(rank) axes") }
        let shape = perm.map { data.shape[$0] }
        var inStrides = [Int](repeating: 1, count: rank)
        for i in stride(from: rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * data.shape[i + 1] }
        var values: [Double] = []
        values.reserveCapacity(data.values.count)
        var index = [Int](repeating: 0, count: rank)
        for _ in 0..<data.values.count {
            values.append(data.values[zip(index, perm).reduce(0) { $0 + $1.0 * inStrides[$1.1] }])
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return .success(ONNXConstant(shape: shape, values: values))
    }

    /// `Slice(data, starts, ends, axes, steps)` (opset 10+ form), clamped as ONNX specifies.
    static func slice(_ data: ONNXConstant, starts: [Int], ends: [Int], axes: [Int]?, steps: [Int]?) -> Folded {
        let rank = data.shape.count
        let axes = axes ?? Array(0..<starts.count)
        let steps = steps ?? Array(repeating: 1, count: starts.count)
        guard ends.count == starts.count, axes.count == starts.count, steps.count == starts.count else {
            return fail("starts, ends, axes and steps differ in length")
        }
        var ranges = data.shape.map { (start: 0, step: 1, count: $0) }
        for k in starts.indices {
            guard let axis = normalized(axes[k], rank: rank), steps[k] != 0 else { return fail("bad axis or zero step") }
            let dim = data.shape[axis], step = steps[k]
            func position(_ v: Int, low: Int, high: Int) -> Int { min(max(v < 0 ? v &+ dim : v, low), high) }
            let start = step > 0 ? position(starts[k], low: 0, high: dim) : position(starts[k], low: -1, high: dim - 1)
            let end = step > 0 ? position(ends[k], low: 0, high: dim) : position(ends[k], low: -1, high: dim - 1)
            let count = step > 0 ? (start < end ? (end - start - 1) / step + 1 : 0)
                : (start > end ? (start - end - 1) / (step == Int.min ? Int.max : -step) + 1 : 0)
            ranges[axis] = (start, step, count)
        }
        var strides = [Int](repeating: 1, count: rank)
        for i in stride(from: rank - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * data.shape[i + 1] }
        let total = ranges.reduce(1) { $0 * $1.count }
        var values: [Double] = []
        var index = [Int](repeating: 0, count: rank)
        for _ in 0..<total {
            values.append(data.values[(0..<rank).reduce(0) { $0 + (ranges[$1].start + index[$1] * ranges[$1].step) * strides[$1] }])
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < ranges[axis].count { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return .success(ONNXConstant(shape: ranges.map(\.count), values: values))
    }

    /// `Cast(data, to)`: integer targets truncate toward zero; float targets keep the value.
    static func cast(_ data: ONNXConstant, to type: Int) -> Folded {
        let floatTypes: Set<Int> = [1, 10, 11, 16]
        guard !floatTypes.contains(type) else { return .success(data) }
        return .success(ONNXConstant(shape: data.shape, values: data.ints.map(Double.init)))
    }

    /// `axis` in `-rank..<rank` made non-negative, or nil.
    static func normalized(_ axis: Int, rank: Int) -> Int? {
        let a = axis < 0 ? axis + rank : axis
        return a >= 0 && a < rank ? a : nil
    }
}
