// Validation of one plan step: operand counts, buffer bounds, aliasing, the residual operand and
// the layouts (LayoutRules).
// The op-specific shape rules live in StepChecker+Shapes.swift.

/// Checks one step of a plan; every failure becomes `.invalidPlan(step: name, reason:)`.
struct StepChecker {
    let step: Step
    let plan: Plan

    /// Runs all checks for the step.
    func check() throws(RuntimeError) {
        try checkOperandCounts()
        for (index, tensor) in (step.inputs + [step.output]).enumerated() {
            if let reason = PlanValidator.arenaProblem(tensor, arenaFloats: plan.arenaFloats) {
                let role = index == step.inputs.count ? "output" : "input \(index)"
                throw fail("\(role): \(reason)")
            }
        }
        for (index, weight) in step.weights.enumerated() {
            if let reason = PlanValidator.weightProblem(weight, weightFloats: plan.weightFloats) {
                throw fail("weight \(index): \(reason)")
            }
        }
        try checkAliasing()
        try checkShapes()
        try checkResidual()
        if let reason = LayoutRules.violation(in: step) { throw fail(reason) }
        if let tuning = step.tuning, let reason = tuning.problem(for: step.op) { throw fail(reason) }
    }

    /// The error for this step.
    func fail(_ reason: String) -> RuntimeError {
        .invalidPlan(step: step.name, reason: reason)
    }

    /// Inputs the op itself reads (the residual, if any, is excluded).
    var mainInputs: ArraySlice<TensorRef> {
        step.epilogue.residual == nil ? step.inputs[...] : step.inputs.dropLast()
    }

    /// Ops whose unit i reads only element i of each input, so exact in-place use is safe.
    private var isElementwise: Bool {
        switch step.op {
        case .scaleShift, .activation, .add, .copy, .softmax: return true
        default: return false
        }
    }

    private func checkOperandCounts() throws(RuntimeError) {
        let (arity, weightCount): (Int, Int)
        switch step.op {
        case .conv2d(let p): (arity, weightCount) = (1, p.hasBias ? 2 : 1)
        case .linear(let hasBias): (arity, weightCount) = (1, hasBias ? 2 : 1)
        case .scaleShift: (arity, weightCount) = (1, 2)
        case .add: (arity, weightCount) = (2, 0)
        case .activation, .maxPool, .avgPool, .globalAvgPool, .softmax, .shortcutA, .copy:
            (arity, weightCount) = (1, 0)
        }
        if step.epilogue.residual != nil, case .softmax = step.op {
            throw fail("softmax cannot take a residual")
        }
        let expected = arity + (step.epilogue.residual == nil ? 0 : 1)
        guard step.inputs.count == expected else {
            throw fail("expected \(expected) input\(expected == 1 ? "" : "s"), found \(step.inputs.count)")
        }
        guard step.weights.count == weightCount else {
            throw fail("expected \(weightCount) weight tensor\(weightCount == 1 ? "" : "s"), found \(step.weights.count)")
        }
    }

    /// Inputs may share the output's memory only exactly and only for elementwise ops, or as a
    /// pointwise conv writing over the start of its own input (`PlanValidator.isPointwisePrefix`);
    /// an identity residual may exactly alias the output of a non-elementwise op (each unit reads
    /// its residual slice after computing it); an option-A residual must be disjoint.
    private func checkAliasing() throws(RuntimeError) {
        for (index, input) in mainInputs.enumerated() {
            let overlap = PlanValidator.overlap(input, step.output)
            if overlap == .disjoint || (overlap == .exact && isElementwise) { continue }
            if index == 0 && PlanValidator.isPointwisePrefix(step) { continue }
            throw fail("input \(index) overlaps the output in the arena")
        }
        guard let residual = step.epilogue.residual, let shortcut = step.inputs.last else { return }
        let overlap = PlanValidator.overlap(shortcut, step.output)
        let allowed: Bool
        switch residual {
        case .identity: allowed = overlap == .disjoint || (overlap == .exact && !isElementwise)
        case .shortcutA: allowed = overlap == .disjoint
        }
        if !allowed { throw fail("the residual input overlaps the output in the arena") }
    }

    private func checkResidual() throws(RuntimeError) {
        guard let residual = step.epilogue.residual, let shortcut = step.inputs.last else { return }
        let y = step.output.shape
        switch residual {
        case .identity:
            guard shortcut.shape == y else {
                throw fail("residual shape: expected \(y.shapeDescription), found \(shortcut.shape.shapeDescription)")
            }
        case .shortcutA(let stride):
            try requireHyperParameter("residual stride", stride, minimum: 1)
            guard y.count == 4 else { throw fail("an option-A residual needs a rank-4 output, found \(y.shapeDescription)") }
            let x = shortcut.shape
            guard x.count == 4, x[0] == y[0], x[1] <= y[1] else {
                throw fail("option-A residual \(x.shapeDescription) does not fit output \(y.shapeDescription)")
            }
            let expected = [y[0], y[1], ceilDiv(x[2], stride), ceilDiv(x[3], stride)]
            guard expected == y else {
                throw fail("output shape for option-A residual \(x.shapeDescription) with stride \(stride): expected \(expected.shapeDescription), found \(y.shapeDescription)")
            }
        }
    }

    /// Rejects hyper-parameters outside `minimum...PlanValidator.maxHyperParameter`.
    func requireHyperParameter(_ name: String, _ value: Int, minimum: Int) throws(RuntimeError) {
        guard value >= minimum, value <= PlanValidator.maxHyperParameter else {
            throw fail("\(name) \(value) is outside \(minimum)...\(PlanValidator.maxHyperParameter)")
        }
    }

    /// ⌈a / b⌉ for a ≥ 0, b ≥ 1.
    func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }
}
