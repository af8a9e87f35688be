// A dense float32 tensor in row-major (C) order: the array-level currency of the API.

/// A dense float32 tensor, row-major, with its shape.
public struct Tensor: Equatable, Sendable {
    /// Dimensions, outermost first (NCHW for images, NC for features).
    public var shape: [Int]
    /// Elements in C order; `data.count == shape.product`.
    public var data: [Float]

    /// Makes a tensor; the element count must match the shape.
    public init(shape: [Int], data: [Float]) {
        precondition(data.count == shape.reduce(1, *), "tensor data does not match its shape")
        self.shape = shape
        self.data = data
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.shape = shape
        self.data = [Float](repeating: 0, count: shape.reduce(1, *))
    }

    /// The number of elements.
    public var count: Int { data.count }
}

extension Array where Element == Int {
    /// `[1, 3, 224, 224]` → `1x3x224x224`, the spelling used in messages and the DSL.
    public var shapeDescription: String { map(String.init).joined(separator: "x") }
}
