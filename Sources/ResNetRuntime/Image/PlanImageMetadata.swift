// The plan's optional image facts — preprocessing and class labels — checked against the
// plan's input and output so a model never carries a recipe or names that cannot apply.

extension PlanValidator {
    /// Checks `plan.preprocess` against the first input and `plan.labels` against the first
    /// output's classes.
    static func checkImageMetadata(_ plan: Plan) throws(RuntimeError) {
        if let recipe = plan.preprocess {
            guard plan.inputs.count == 1, let shape = plan.inputs.first?.tensor.shape, shape.count == 4,
                  shape[1] == 1 || shape[1] == 3 else {
                throw .invalidPlan(step: "preprocess", reason: "preprocessing needs one input of shape Nx1xHxW or Nx3xHxW")
            }
            if let problem = recipe.problem(channels: shape[1]) { throw .invalidPlan(step: "preprocess", reason: problem) }
        }
        if let labels = plan.labels {
            let classes = ClassLabels.classCount(of: plan)
            guard labels.count == classes else {
                throw .invalidPlan(step: "labels", reason: "\(labels.count) labels for \(classes.map(String.init) ?? "no") output classes")
            }
        }
    }
}
