// The parts of ONNX's protobuf schema the importer reads (onnx.proto: ModelProto, GraphProto,
// NodeProto, AttributeProto, TensorProto, ValueInfoProto); every other field is skipped.

/// `ModelProto`: the opsets it imports and its graph.
public struct ONNXModel: Sendable {
    /// `opset_import`: domain ("" is the default ONNX domain) → version.
    public var opsets: [String: Int] = [:]
    public var producerName = ""
    public var graph = ONNXGraph()

    /// The default-domain opset (`ai.onnx`), or nil when the model does not import it.
    public var defaultOpset: Int? { opsets[""] ?? opsets["ai.onnx"] }
}

/// `GraphProto`.
public struct ONNXGraph: Sendable {
    public var name = ""
    public var nodes: [ONNXNode] = []
    public var initializers: [ONNXTensor] = []
    public var inputs: [ONNXValueInfo] = []
    public var outputs: [ONNXValueInfo] = []
}

/// `NodeProto`: one operator application.
public struct ONNXNode: Sendable {
    public var name = ""
    public var opType = ""
    public var domain = ""
    /// Value names read; "" marks an omitted optional input.
    public var inputs: [String] = []
    /// Value names written.
    public var outputs: [String] = []
    public var attributes: [ONNXAttribute] = []

    /// The attribute called `name`, if present.
    public func attribute(_ name: String) -> ONNXAttribute? { attributes.first { $0.name == name } }
}

/// `AttributeProto` (scalars, lists and tensors; graphs are not read).
public struct ONNXAttribute: Sendable {
    public var name = ""
    /// `AttributeProto.AttributeType` (1 FLOAT, 2 INT, 3 STRING, 4 TENSOR, 6 FLOATS, 7 INTS, …).
    public var type = 0
    public var float: Float?
    public var int: Int64?
    public var string: [UInt8]?
    public var tensor: ONNXTensor?
    public var floats: [Float] = []
    public var ints: [Int64] = []
}

/// `TensorProto`: an initializer or constant. Data stays as read; `ONNXTensorData` decodes it.
public struct ONNXTensor: Sendable {
    public var name = ""
    public var dims: [Int64] = []
    /// `TensorProto.DataType` (1 FLOAT, 6 INT32, 7 INT64, 10 FLOAT16, 11 DOUBLE, …).
    public var dataType = 0
    /// The bytes of `raw_data`, when present (little-endian, as ONNX stores them).
    public var rawData: ArraySlice<UInt8>?
    public var floatData: [Float] = []
    public var int32Data: [Int64] = []
    public var int64Data: [Int64] = []
    public var doubleData: [Double] = []
    /// `data_location == EXTERNAL`: the values live in another file.
    public var isExternal = false
}

/// `ValueInfoProto` of a tensor: its name, element type and shape (nil dims are symbolic).
public struct ONNXValueInfo: Sendable {
    public var name = ""
    public var elementType = 0
    /// Each dimension's value, or nil for a symbolic (`dim_param`) or missing one.
    public var shape: [Int?]?
}
