// Pool geometry shared by the runtime's NCHW pools and the kernel modules' nChw16c max pool,
// and the job the kernel modules run. The runtime applies any epilogue to the finished rows.

/// Plane shapes of a windowed pool: `planes` independent planes (`N·C` for NCHW, `N·C/16`
/// channel-block planes for nChw16c), each `inHeight × inWidth` → `outHeight × outWidth`.
public struct PoolGeometry: Sendable {
    public let planes: Int, inHeight: Int, inWidth: Int, outHeight: Int, outWidth: Int
    /// Window side, stride and padding (padding acts as −∞ for max pooling).
    public let kernel: Int, stride: Int, padding: Int

    public init(planes: Int, inHeight: Int, inWidth: Int, outHeight: Int, outWidth: Int, kernel: Int, stride: Int,
                padding: Int) {
        self.planes = planes
        self.inHeight = inHeight
        self.inWidth = inWidth
        self.outHeight = outHeight
        self.outWidth = outWidth
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
    }
}

/// One MaxPool2d over nChw16c input and output (16 channels per pixel vector).
public struct BlockedMaxPoolJob: @unchecked Sendable {
    // @unchecked: the pointers address the session's arena; units write disjoint output rows.
    /// `planes` counts channel-block planes (`N·C/16`).
    public let geometry: PoolGeometry
    public let input: UnsafePointer<Float>
    public let output: UnsafeMutablePointer<Float>

    public init(geometry: PoolGeometry, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        self.geometry = geometry
        self.input = input
        self.output = output
    }

    /// Work units: one output row of one block plane, `(plane, oy)`.
    public var units: Int { geometry.planes * geometry.outHeight }
    /// The output floats of `units` (rows are stored plane after plane, row after row).
    public func outputFloats(of units: Range<Int>) -> Range<Int> {
        units.lowerBound * geometry.outWidth * 16..<units.upperBound * geometry.outWidth * 16
    }
}
