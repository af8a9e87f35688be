// A loaded model: its validated plan plus read-only weights (memory-mapped in place from a file,
// or held in an aligned buffer). Shared by any number of Sessions.

/// A model input or output as callers see it.
public struct TensorDescriptor: Hashable, Sendable {
    /// The binding's name (`image`, `logits`).
    public let name: String
    /// Its shape, outermost first.
    public let shape: [Int]
    /// Number of floats.
    public var count: Int { shape.reduce(1, *) }
    /// A descriptor for `name` with `shape`.
    public init(name: String, shape: [Int]) {
        self.name = name
        self.shape = shape
    }
}

/// An immutable, validated model whose weights stay where they were loaded.
///
/// `@unchecked Sendable` is safe: every stored property is set once in `init` and never mutated;
/// the weight memory (a read-only mapping or a private buffer) is only ever read, and it is
/// released in `deinit`, after every Session holding the model has gone.
public final class Model: @unchecked Sendable {
    /// The validated plan.
    public let plan: Plan
    /// The inputs `Session.run` expects, in order.
    public let inputs: [TensorDescriptor]
    /// The outputs `Session.run` returns, in order.
    public let outputs: [TensorDescriptor]
    /// The first weight float (64-byte aligned).
    let weights: UnsafePointer<Float>
    /// Keeps the weight memory alive: a MappedFile or an AlignedBuffer.
    private let owner: AnyObject
    /// Conv weights repacked for the kernels, filled by the first session that needs them and
    /// shared by all later ones (and by `retuned` copies of the model).
    let packedWeights: PackedWeightCache

    /// Bytes of conv weights repacked for the kernels so far (by this model's sessions; each
    /// instruction set's panels are packed once and shared).
    public var packedWeightBytes: Int { packedWeights.byteCount }

    /// Memory-maps the `.rnc` file at `path` and checks it (against `limits` too); weights are
    /// read in place.
    public convenience init(contentsOf path: String, limits: RuntimeLimits = .standard) throws(RuntimeError) {
        let file = try MappedFile(path: path)
        try self.init(image: file.bytes, owner: file, path: path, limits: limits)
    }

    /// Loads a `.rnc` image from memory (copied once into an aligned buffer; the copy is no
    /// bigger than `bytes`, so only the plan's own sizes are checked against `limits`).
    public convenience init(bytes: [UInt8], limits: RuntimeLimits = .standard) throws(RuntimeError) {
        let buffer = try AlignedBuffer(byteCount: bytes.count)
        bytes.withUnsafeBytes { raw in
            if let source = raw.baseAddress { buffer.base.copyMemory(from: source, byteCount: raw.count) }
        }
        let image = UnsafeRawBufferPointer(start: buffer.base, count: bytes.count)
        try self.init(image: image, owner: buffer, path: "<memory>", limits: limits)
    }

    /// Makes a model straight from a compiler's plan and weight blob (validated, checked against
    /// `limits`, weights copied).
    public init(plan: Plan, weights: [Float], limits: RuntimeLimits = .standard) throws(RuntimeError) {
        try PlanValidator.validate(plan)
        try limits.check(plan, path: "<memory>")
        guard weights.count == plan.weightFloats else {
            throw .invalidPlan(step: "plan", reason: "weight blob has \(weights.count) floats, the plan declares \(plan.weightFloats)")
        }
        let buffer = try AlignedBuffer(byteCount: 4 * weights.count)
        weights.withUnsafeBufferPointer { floats in
            if let source = floats.baseAddress { buffer.floats.update(from: source, count: floats.count) }
        }
        self.plan = plan
        self.weights = UnsafePointer(buffer.floats)
        self.owner = buffer
        packedWeights = PackedWeightCache()
        (inputs, outputs) = Self.descriptors(plan)
    }

    /// This model with `tunings[i]` stored on step `i` (validated; nil clears a step's tuning)
    /// and `metadata` merged into the plan's, over the same weights and packed-weight cache:
    /// what `resnetc tune` times and saves.
    public func retuned(_ tunings: [StepTuning?], metadata: [String: String] = [:]) throws(RuntimeError) -> Model {
        guard tunings.count == plan.steps.count else {
            throw .invalidPlan(step: "plan", reason: "\(tunings.count) tunings for \(plan.steps.count) steps")
        }
        var plan = self.plan
        for index in plan.steps.indices { plan.steps[index].tuning = tunings[index] }
        plan.metadata.merge(metadata) { _, new in new }
        try PlanValidator.validate(plan)
        return Model(plan: plan, sharing: self)
    }

    /// `source`'s weights under a plan that differs from its own only in step tunings.
    private init(plan: Plan, sharing source: Model) {
        self.plan = plan
        weights = source.weights
        owner = source.owner
        packedWeights = source.packedWeights
        (inputs, outputs) = Self.descriptors(plan)
    }

    private init(image: UnsafeRawBufferPointer, owner: AnyObject, path: String,
                 limits: RuntimeLimits) throws(RuntimeError) {
        let contents = try RNCFile.parse(image, path: path)
        try PlanValidator.validate(contents.plan)
        try limits.check(contents.plan, path: path)
        guard contents.weightsLength == 4 * contents.plan.weightFloats else {
            throw .invalidPlan(step: "plan", reason: "the file holds \(contents.weightsLength / 4) weight floats, the plan declares \(contents.plan.weightFloats)")
        }
        self.plan = contents.plan
        // The image starts 64-byte aligned (page or posix_memalign) and weightsOffset is a
        // multiple of 64, so this Float pointer is aligned.
        let start = image.baseAddress.map { $0 + contents.weightsOffset } ?? UnsafeRawPointer(bitPattern: 64)!
        self.weights = start.assumingMemoryBound(to: Float.self)
        self.owner = owner
        packedWeights = PackedWeightCache()
        (inputs, outputs) = Self.descriptors(plan)
    }

    private static func descriptors(_ plan: Plan) -> ([TensorDescriptor], [TensorDescriptor]) {
        (plan.inputs.map { TensorDescriptor(name: $0.name, shape: $0.tensor.shape) },
         plan.outputs.map { TensorDescriptor(name: $0.name, shape: $0.tensor.shape) })
    }

    /// The weight blob as floats (read-only, valid while the model lives).
    public func withWeights<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: weights, count: plan.weightFloats))
    }
}
