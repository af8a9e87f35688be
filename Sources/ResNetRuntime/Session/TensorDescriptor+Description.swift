// How a model input or output prints: `image 1x3x224x224`, so `print(model.inputs)` reads well.

extension TensorDescriptor: CustomStringConvertible {
    /// The name and shape, e.g. `image 1x3x224x224`.
    public var description: String { "\(name) \(shape.shapeDescription)" }
}
