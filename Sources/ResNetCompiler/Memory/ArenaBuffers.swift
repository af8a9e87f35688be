// Every value of a lowered Plan with its arena range and lifetime, read back from the plan alone
// (so a `.rnc` file can be inspected): for `inspect --memory` and for figures of foreign plans.
import ResNetRuntime

/// One value of a plan: a model input, or a step's output.
public struct ArenaBuffer: Sendable, Equatable {
    /// The input's or the step's name.
    public var name: String
    /// The value's shape as the plan gives it.
    public var shape: [Int]
    /// How the plan stores it.
    public var layout: TensorLayout = .nchw
    /// Offset in floats.
    public var offset: Int
    /// Size in floats.
    public var floats: Int
    /// Index of the step that writes it (−1 for a model input).
    public var firstStep: Int
    /// Index of the last step that reads it (`Int.max` for a model output; `firstStep` if unread).
    public var lastStep: Int
    /// The value whose buffer this one overwrites in place, if any.
    public var inPlaceOver: String?

    /// Reads every value of `plan` in step order. A read is attributed to the latest value whose
    /// range contains it (views such as flatten read their source with another shape).
    public static func analyze(_ plan: Plan) -> [ArenaBuffer] {
        var values = plan.inputs.map {
            ArenaBuffer(name: $0.name, shape: $0.tensor.shape, layout: $0.tensor.layout, offset: $0.tensor.offset, floats: $0.tensor.count,
                        firstStep: -1, lastStep: -1)
        }
        func holder(of ref: TensorRef) -> Int? {
            values.lastIndex { $0.offset <= ref.offset && ref.offset + ref.count <= $0.offset + $0.floats }
        }
        for (index, step) in plan.steps.enumerated() {
            var overwritten: String?
            for input in step.inputs {
                guard let v = holder(of: input) else { continue }
                values[v].lastStep = max(values[v].lastStep, index)
                // Same place, same size (elementwise, residual) or the start of it (pointwise conv).
                if input.offset == step.output.offset && input.count >= step.output.count { overwritten = values[v].name }
            }
            values.append(ArenaBuffer(name: step.name, shape: step.output.shape, layout: step.output.layout, offset: step.output.offset,
                                      floats: step.output.count, firstStep: index, lastStep: index,
                                      inPlaceOver: overwritten))
        }
        for output in plan.outputs {
            if let v = holder(of: output.tensor) { values[v].lastStep = Int.max }
        }
        return values
    }

    /// The largest sum of bytes live at one step, counting a buffer overwritten in place once;
    /// and the step index where it is reached. A model input lives until its last reader, as
    /// with the planner's default input reuse (a session copies it in before every run), unless
    /// `inputsKept` (then for the whole run).
    public static func lowerBound(_ buffers: [ArenaBuffer], alignment: Int = 16,
                                  inputsKept: Bool = false) -> (bytes: Int, step: Int) {
        var lifetimes = buffers.enumerated().map { id, b in
            BufferLifetime(id: id, size: (b.floats + alignment - 1) / alignment * alignment, firstStep: b.firstStep,
                           lastStep: b.firstStep < 0 && inputsKept ? Int.max : b.lastStep)
        }
        for (id, b) in buffers.enumerated() {
            if let target = b.inPlaceOver, let t = buffers.lastIndex(where: { $0.name == target && $0.firstStep < b.firstStep }) {
                lifetimes[id].inPlaceOver = t
            }
        }
        let groups = MemoryPlanner.mergeInPlace(lifetimes).flatMap(\.pieces)
        let peak = MemoryPlanner.peakUsage(groups)
        return (peak.size * 4, peak.step)
    }
}
