// How reports print a plan tensor: its shape, and its layout when that is not plain nchw.

extension TensorLayout {
    /// `""` for nchw, `" nChw16c"` otherwise: the suffix a shape is printed with.
    public var shapeSuffix: String { self == .nchw ? "" : " " + rawValue }
}

extension TensorRef {
    /// `1x64x56x56`, or `1x64x56x56 nChw16c` for a blocked tensor.
    public var shapeAndLayout: String { shape.shapeDescription + layout.shapeSuffix }
}
