// Puts what the `.net` file says about images into the plan: the preprocessing recipe and the
// class names (from `labels`, or from `CompileOptions.labelsPath`, which wins).
import ResNetRuntime

extension Compiler {
    /// Stores `network`'s preprocessing and labels (or the `--labels` file) in the plan.
    static func attachImageFacts(_ network: ElaboratedNetwork, options: CompileOptions,
                                 to compilation: inout Compilation) throws(CompileError) {
        var plan = compilation.lowered.plan
        plan.preprocess = network.preprocess
        plan.labels = network.labels
        compilation.notes = network.notes
        if let path = options.labelsPath {
            do {
                let labels = try ClassLabels.read(path: path)
                try ClassLabels.check(labels, fit: plan, path: path)
                plan.labels = labels
                compilation.notes = []
            } catch {
                throw .io(path: error.path, reason: error.reason)
            }
        }
        do { try PlanValidator.validate(plan) } catch { throw .runtime(error) }
        compilation.lowered.plan = plan
    }
}
