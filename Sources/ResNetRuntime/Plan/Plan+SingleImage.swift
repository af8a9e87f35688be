// One image's plan derived from a batched one: the same steps and weights over batch-1 tensors in
// an arena planned afresh for one image. Sessions run a batch as images on their own (Session/
// ImageLanes.swift), so each image's activations stay in cache and its steps need no barrier.

extension Plan {
    /// The batch every tensor of the plan shares as its first dimension, if there is one.
    public var uniformBatch: Int? {
        guard let batch = inputs.first?.tensor.shape.first else { return nil }
        func leads(_ ref: TensorRef) -> Bool { ref.shape.first == batch }
        let all = inputs.allSatisfy { leads($0.tensor) } && outputs.allSatisfy { leads($0.tensor) }
            && steps.allSatisfy { leads($0.output) && $0.inputs.allSatisfy(leads) }
        return all ? batch : nil
    }

    /// The most steps `singleImage()` splits (ResNet-152 has a few hundred). Tracing and placing
    /// the values takes time quadratic in their number, so a larger plan, which only a crafted
    /// file would have, runs step by step over its whole batch instead.
    public static let maxSingleImageSteps = 4096

    /// This plan for one image, or nil when it cannot be split that way: its batch is 1, it has
    /// more than `maxSingleImageSteps` steps, some tensor does not lead with the batch, or a step
    /// reads memory that is not one whole value another step (or the caller) wrote. Images never
    /// mix in these ops, and both layouts keep the batch outermost, so image `i` of every tensor
    /// is the contiguous `i`-th slice of it.
    ///
    /// Values are traced by where the batched plan keeps them (a read at an offset is the last
    /// value written there with the same element count; a write retires every value it
    /// overlaps), then placed by `MemoryPlanner` at one image's size, in place where the batched
    /// plan was. The result is validated like a loaded plan.
    public func singleImage() -> Plan? {
        guard let batch = uniformBatch, batch > 1, steps.count <= Self.maxSingleImageSteps else { return nil }
        var lifetimes: [BufferLifetime] = []
        /// The value each live arena offset holds, and its element count.
        var live: [Int: (id: Int, count: Int)] = [:]
        func write(_ ref: TensorRef, step: Int, inPlaceOver: Int? = nil) -> Int {
            let end = ref.offset + ref.count
            live = live.filter { offset, value in offset + value.count <= ref.offset || end <= offset }
            let id = lifetimes.count
            lifetimes.append(BufferLifetime(id: id, size: ref.count / batch, firstStep: step, lastStep: step,
                                            inPlaceOver: inPlaceOver))
            live[ref.offset] = (id, ref.count)
            return id
        }
        func read(_ ref: TensorRef, step: Int) -> Int? {
            guard let value = live[ref.offset], value.count == ref.count else { return nil }
            lifetimes[value.id].lastStep = max(lifetimes[value.id].lastStep, step)
            return value.id
        }
        let inputIDs = inputs.map { write($0.tensor, step: -1) }
        var stepIDs: [(inputs: [Int], output: Int)] = []
        for (index, step) in steps.enumerated() {
            var ids: [Int] = []
            for input in step.inputs {
                guard let id = read(input, step: index) else { return nil }
                ids.append(id)
            }
            // The batched plan computes this step in place over an input only where the validator
            // allows it; the planner keeps it in place where that is still legal.
            let over = zip(step.inputs, ids).first { $0.0.offset == step.output.offset }?.1
            stepIDs.append((ids, write(step.output, step: index, inPlaceOver: over)))
        }
        var outputIDs: [Int] = []
        for output in outputs {
            guard let id = read(output.tensor, step: steps.count) else { return nil }
            lifetimes[id].lastStep = Int.max
            outputIDs.append(id)
        }
        let placement = MemoryPlanner.plan(lifetimes)
        func image(_ ref: TensorRef, _ id: Int) -> TensorRef {
            var shape = ref.shape
            shape[0] = 1
            return TensorRef(offset: placement.offsets[id] ?? 0, shape: shape, layout: ref.layout)
        }
        var result = self
        result.arenaFloats = placement.arenaSize
        result.inputs = zip(inputs, inputIDs).map { TensorBinding(name: $0.name, tensor: image($0.tensor, $1)) }
        result.outputs = zip(outputs, outputIDs).map { TensorBinding(name: $0.name, tensor: image($0.tensor, $1)) }
        for (index, ids) in stepIDs.enumerated() {
            result.steps[index].inputs = zip(steps[index].inputs, ids.inputs).map { image($0, $1) }
            result.steps[index].output = image(steps[index].output, ids.output)
        }
        guard (try? PlanValidator.validate(result)) != nil else { return nil }
        return result
    }
}
