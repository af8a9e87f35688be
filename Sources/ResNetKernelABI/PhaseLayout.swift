// The input layout the implicit-GEMM conv reads: the zero-padded input of each channel split into
// stride² phase planes, so that for every tap the B operand of a pixel tile is one contiguous
// run of floats, whatever the stride, padding or dilation.

/// Phase planes of a conv input. Phase `(a, b)` of channel c holds `padded[i·s + a][j·s + b]`
/// for `i < height`, `j < width`. Output pixel `(y, x)` is computed at flat position
/// `q = y·width + x`; tap `(kh, kw)` reads phase `((kh·d) mod s, (kw·d) mod s)` at
/// `q + ⌊kh·d/s⌋·width + ⌊kw·d/s⌋`. Positions with `x ≥ outWidth` are computed and discarded.
public struct PhaseLayout: Hashable, Sendable {
    public let stride: Int
    /// Phases kept per axis: `stride`, or 1 for 1×1 kernels (they only ever read phase (0, 0)).
    public let phasesPerAxis: Int
    /// Rows and columns of one phase plane.
    public let height: Int, width: Int
    /// Flat output positions computed per image and group: `outHeight · width`.
    public let extent: Int
    /// The largest tap shift within a phase plane.
    public let maxShift: Int

    /// The phase layout of `shape`'s input.
    public init(shape s: ConvShape) {
        stride = s.stride
        phasesPerAxis = s.kernel == 1 ? 1 : s.stride
        height = (s.inHeight + 2 * s.padding + s.stride - 1) / s.stride
        width = (s.inWidth + 2 * s.padding + s.stride - 1) / s.stride
        extent = s.outHeight * width
        let reach = (s.kernel - 1) * s.dilation / s.stride
        maxShift = reach * width + reach
    }

    /// Floats of one phase plane.
    public var plane: Int { height * width }
    /// Floats of one channel's phases.
    public var channelFloats: Int { phasesPerAxis * phasesPerAxis * plane }

    /// Offset of tap `(ic, kh, kw)` from the group's first channel, in floats.
    public func offset(_ s: ConvShape, inputChannel ic: Int, kh: Int, kw: Int) -> Int {
        let y = kh * s.dilation, x = kw * s.dilation
        return ic * channelFloats + ((y % stride) * phasesPerAxis + x % stride) * plane + (y / stride) * width + x / stride
    }

    /// Floats of the whole phase buffer, with slack for the last tile's reads past the end
    /// (they only feed discarded positions).
    public func bufferFloats(_ s: ConvShape, tiling t: ConvTiling) -> Int {
        s.batch * s.inChannels * channelFloats + t.pixelTiles * t.pixels + maxShift + 16
    }
}
