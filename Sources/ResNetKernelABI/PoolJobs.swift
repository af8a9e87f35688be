// What the kernel modules need to run a max pool over nChw16c tensors: its geometry and
// pointers. The runtime builds one per step and applies any epilogue to the finished rows.

/// One MaxPool2d over nChw16c input and output (16 channels per pixel vector).
public struct BlockedMaxPoolJob: @unchecked Sendable {
    // @unchecked: the pointers address the session's arena; units write disjoint output rows.
    /// Channel-block planes (`N·C/16`) and the plane sizes.
    public let planes: Int, inHeight: Int, inWidth: Int, outHeight: Int, outWidth: Int
    /// Window side, stride and padding (padding acts as −∞).
    public let kernel: Int, stride: Int, padding: Int
    public let input: UnsafePointer<Float>
    public let output: UnsafeMutablePointer<Float>

    public init(planes: Int, inHeight: Int, inWidth: Int, outHeight: Int, outWidth: Int, kernel: Int, stride: Int,
                padding: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        self.planes = planes
        self.inHeight = inHeight
        self.inWidth = inWidth
        self.outHeight = outHeight
        self.outWidth = outWidth
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.input = input
        self.output = output
    }

    /// Work units: one output row of one block plane, `(plane, oy)`.
    public var units: Int { planes * outHeight }
    /// The output floats of `units` (rows are stored plane after plane, row after row).
    public func outputFloats(of units: Range<Int>) -> Range<Int> {
        units.lowerBound * outWidth * 16..<units.upperBound * outWidth * 16
    }
}
