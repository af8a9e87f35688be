// How a Session binds kernels: which instruction-set copy and, for tests and tuning, a forced
// convolution algorithm, and whether a batch runs image by image. The defaults are what
// production runs use.

/// A convolution algorithm the step compiler can bind.
public enum ConvAlgorithm: String, CaseIterable, Hashable, Sendable {
    /// 1×1, stride 1, no padding: a GEMM straight over the NCHW input.
    case pointwise
    /// Any shape: the padded input split into stride phases once per step, then a GEMM reading
    /// its B rows in place through a tap-offset table (no per-tile packing).
    case implicit
    /// im2col panels packed per pixel tile into per-thread scratch, then the same GEMM.
    case im2col
    /// Plane by plane, tap by tap (depthwise convolutions).
    case direct
}

/// Which algorithm runs the 3×3 convs (stride 1 or 2) over blocked (nChw16c) tensors: `--schedule NAME`.
public enum ConvSchedule: String, CaseIterable, Codable, Hashable, Sendable {
    /// The chooser's pick by map size (`BlockedConvChooser.winogradTiling`).
    case auto
    /// The direct blocked kernels everywhere (`--no-winograd`).
    case direct
    /// Winograd F(2×2, 3×3) wherever it applies (stride 1 or 2), whatever the map size.
    case winograd2
    /// Winograd F(4×4, 3×3) wherever it applies, whatever the map size; stride-2 convs take
    /// F(2×2, 3×3), their one Winograd form.
    case winograd4
}

/// Kernel choices for a Session.
public struct KernelOptions: Hashable, Sendable {
    /// The instruction-set level; nil = `KernelISA.preferred`. Levels this CPU cannot run fall
    /// back to the fastest it can.
    public var isa: KernelISA?
    /// Forces every convolution with an NCHW output to this algorithm where it applies
    /// (`pointwise` only fits 1×1 stride-1 unpadded convs; others keep the chooser's pick).
    /// Convs with nChw16c outputs always run the blocked kernels (direct, or Winograd per
    /// `schedule`). nil = the chooser decides.
    public var convAlgorithm: ConvAlgorithm?
    /// The algorithm of 3×3 stride-1 convs over blocked tensors (Winograd F(4,3), F(2,3) or
    /// direct); `.auto` = the chooser decides by map size.
    public var schedule: ConvSchedule
    /// The loop order around the blocked direct conv's register tiles.
    public var blocked: BlockedConvTuning
    /// Whether a batched plan runs image by image, each worker taking whole images through the
    /// one-image plan (`ImageLanes`), when the batch is at least the worker count; false runs
    /// every step over the whole batch (`--whole-batch`).
    public var imageLanes: Bool

    /// Options with the given overrides (none by default).
    public init(isa: KernelISA? = nil, convAlgorithm: ConvAlgorithm? = nil, schedule: ConvSchedule = .auto,
                blocked: BlockedConvTuning = BlockedConvTuning(), imageLanes: Bool = true) {
        self.imageLanes = imageLanes
        self.schedule = schedule
        self.blocked = blocked
        self.isa = isa
        self.convAlgorithm = convAlgorithm
    }

    /// The level that will actually run.
    public var resolvedISA: KernelISA { isa.map(KernelISA.resolve) ?? KernelISA.preferred }

    /// These options for a step stored with `tuning`: its choices apply where these leave the
    /// decision to the chooser (a `--schedule` or a test's loop order wins over the file).
    func tuned(by tuning: StepTuning?) -> KernelOptions {
        guard let tuning else { return self }
        var options = self
        if schedule == .auto, let tuned = tuning.schedule { options.schedule = tuned }
        if blocked == BlockedConvTuning(), let slice = tuning.splitSliceBytes {
            options.blocked = slice == 0 ? .split(above: .max, slice: 0)
                : .split(above: BlockedConvTuning().splitAboveBytes, slice: slice)
        }
        return options
    }
}
