// Checks a decoded Plan before any pointer is formed from it: every tensor and weight inside its
// buffer (overflow-checked), operand counts, aliasing rules, per-op shapes (StepChecker) and
// layouts (LayoutRules).

/// Rejects inconsistent plans with `.invalidPlan(step:reason:)` so kernels can trust every index.
public enum PlanValidator {
    /// Largest arena or weight blob accepted, in floats (2^34 floats = 64 GiB).
    public static let maxFloats = 1 << 34
    /// Largest tensor rank accepted.
    public static let maxRank = 8
    /// Largest kernel size, stride, padding, dilation or group count accepted.
    public static let maxHyperParameter = 1 << 16

    /// Throws `.invalidPlan` naming the first inconsistency found.
    public static func validate(_ plan: Plan) throws(RuntimeError) {
        guard plan.arenaFloats >= 0, plan.arenaFloats <= maxFloats else {
            throw .invalidPlan(step: "plan", reason: "arena size \(plan.arenaFloats) floats is outside 0...\(maxFloats)")
        }
        guard plan.weightFloats >= 0, plan.weightFloats <= maxFloats else {
            throw .invalidPlan(step: "plan", reason: "weight size \(plan.weightFloats) floats is outside 0...\(maxFloats)")
        }
        try checkBindings(plan.inputs, kind: "input", plan: plan)
        try checkBindings(plan.outputs, kind: "output", plan: plan)
        for step in plan.steps {
            try StepChecker(step: step, plan: plan).check()
        }
        try checkImageMetadata(plan)
    }

    private static func checkBindings(_ bindings: [TensorBinding], kind: String, plan: Plan) throws(RuntimeError) {
        guard !bindings.isEmpty else {
            throw .invalidPlan(step: "plan", reason: "the plan has no \(kind)s")
        }
        var seen = Set<String>()
        for (index, binding) in bindings.enumerated() {
            let label = "\(kind) \(binding.name)"
            guard seen.insert(binding.name).inserted else {
                throw .invalidPlan(step: label, reason: "duplicate \(kind) name")
            }
            if let reason = arenaProblem(binding.tensor, arenaFloats: plan.arenaFloats) {
                throw .invalidPlan(step: label, reason: reason)
            }
            if let reason = LayoutRules.bindingViolation(binding.tensor) {
                throw .invalidPlan(step: label, reason: reason)
            }
            if kind == "input" {
                for other in bindings[..<index] where overlap(binding.tensor, other.tensor) != .disjoint {
                    throw .invalidPlan(step: label, reason: "overlaps input '\(other.name)'")
                }
            }
        }
    }

    /// Why `tensor` is not a valid arena tensor, or nil if it is.
    static func arenaProblem(_ tensor: TensorRef, arenaFloats: Int) -> String? {
        guard tensor.shape.count >= 1, tensor.shape.count <= maxRank else {
            return "tensor rank \(tensor.shape.count) is outside 1...\(maxRank)"
        }
        guard let count = checkedCount(tensor.shape) else {
            return "tensor shape \(tensor.shape.shapeDescription) has a dimension < 1 or more than \(maxFloats) elements"
        }
        let end = tensor.offset.addingReportingOverflow(count)
        guard tensor.offset >= 0, !end.overflow, end.partialValue <= arenaFloats else {
            return "tensor at offset \(tensor.offset) with \(count) floats lies outside the arena (\(arenaFloats) floats)"
        }
        return nil
    }

    /// Why `weight` is not a valid slice of the blob, or nil if it is.
    static func weightProblem(_ weight: WeightRef, weightFloats: Int) -> String? {
        let end = weight.offset.addingReportingOverflow(weight.count)
        guard weight.offset >= 0, weight.count >= 1, !end.overflow, end.partialValue <= weightFloats else {
            return "weight at offset \(weight.offset) with \(weight.count) floats lies outside the weight blob (\(weightFloats) floats)"
        }
        return nil
    }

    /// The element count of `shape` if every dimension is ≥ 1 and the product is ≤ `maxFloats`.
    static func checkedCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dim in shape {
            guard dim >= 1 else { return nil }
            let product = count.multipliedReportingOverflow(by: dim)
            guard !product.overflow, product.partialValue <= maxFloats else { return nil }
            count = product.partialValue
        }
        return count
    }

    /// How two in-arena tensors share memory.
    enum Overlap { case disjoint, exact, partial }

    /// Compares the float ranges of two valid arena tensors.
    /// Whether `step` is a convolution that writes its output over the start of its input and can
    /// still be computed correctly: 1×1, stride 1, no padding, one group, one image, the output
    /// starting exactly where the input starts and no larger, and a residual (if any) elsewhere.
    /// Output element (o, p) then overwrites input element (o, p) only, so a kernel that reads all
    /// input channels of a pixel tile before writing that tile (the runtime picks such a kernel for
    /// these steps) never reads a value it has overwritten.
    public static func isPointwisePrefix(_ step: Step) -> Bool {
        guard case .conv2d(let p) = step.op, let input = step.inputs.first else { return false }
        let output = step.output
        guard p.kernel == 1, p.stride == 1, p.padding == 0, p.groups == 1,
              input.shape.count == 4, output.shape.count == 4, input.shape[0] == 1,
              input.offset == output.offset, output.count <= input.count else { return false }
        if step.epilogue.residual != nil, let shortcut = step.inputs.last, step.inputs.count > 1 {
            return overlap(shortcut, output) == .disjoint
        }
        return true
    }

    static func overlap(_ a: TensorRef, _ b: TensorRef) -> Overlap {
        let aEnd = a.offset + a.count, bEnd = b.offset + b.count
        if aEnd <= b.offset || bEnd <= a.offset { return .disjoint }
        return a.offset == b.offset && a.count == b.count ? .exact : .partial
    }
}
