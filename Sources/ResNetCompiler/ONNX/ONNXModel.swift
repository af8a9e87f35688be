// The parts of ONNX's protobuf schema the importer reads (onnx.proto: ModelProto, GraphProto,
// NodeProto, AttributeProto, TensorProto, ValueInfoProto); every other field is skipped.

/// `ModelProto`: the opsets it imports and its graph.
public struct ONNXModel: Sendable {
    /// `opset_import`: domain ("" is the default ONNX domain) → version.
    public var opsets: [String: Int] = [:]
    /// `producer_name` (e.g. `pytorch`).
    public var producerName = ""
    /// The main graph.
    public var graph = ONNXGraph()

    /// The default-domain opset (`ai.onnx`), or nil when the model does not import it.
    public var defaultOpset: Int? { opsets[""] ?? opsets["ai.onnx"] }
}

/// `GraphProto`.
public struct ONNXGraph: Sendable {
    /// The graph's name.
    public var name = ""
    /// The nodes, in the file's (topological) order.
    public var nodes: [ONNXNode] = []
    /// Constant tensors (the weights).
    public var initializers: [ONNXTensor] = []
    /// Declared inputs; older exporters also list the initializers here.
    public var inputs: [ONNXValueInfo] = []
    /// Declared outputs.
    public var outputs: [ONNXValueInfo] = []
}

/// `NodeProto`: one operator application.
public struct ONNXNode: Sendable {
    /// The node's name (exporters write module paths such as `/layer1/layer1.0/conv1/Conv`).
    public var name = ""
    /// The operator (`Conv`).
    public var opType = ""
    /// The operator's domain ("" or `ai.onnx` for the standard operators).
    public var domain = ""
    /// Value names read; "" marks an omitted optional input.
    public var inputs: [String] = []
    /// Value names written.
    public var outputs: [String] = []
    /// The node's attributes.
    public var attributes: [ONNXAttribute] = []

    /// The attribute called `name`, if present.
    public func attribute(_ name: String) -> ONNXAttribute? { attributes.first { $0.name == name } }
}

/// `AttributeProto` (scalars, lists and tensors; graphs are not read).
public struct ONNXAttribute: Sendable {
    /// The attribute's name (`kernel_shape`).
    public var name = ""
    /// `AttributeProto.AttributeType` (1 FLOAT, 2 INT, 3 STRING, 4 TENSOR, 6 FLOATS, 7 INTS, …).
    public var type = 0
    /// `f`, `i`, `s`, `t`: the single value, when present.
    public var float: Float?
    /// See `float`.
    public var int: Int64?
    /// See `float`.
    public var string: [UInt8]?
    /// See `float`.
    public var tensor: ONNXTensor?
    /// `floats` and `ints`: the list values.
    public var floats: [Float] = []
    /// See `floats`.
    public var ints: [Int64] = []
}

/// `TensorProto`: an initializer or constant. Data stays as read; `ONNXTensorData` decodes it.
public struct ONNXTensor: Sendable {
    /// The tensor's name (`layer1.0.conv1.weight`).
    public var name = ""
    /// The shape.
    public var dims: [Int64] = []
    /// `TensorProto.DataType` (1 FLOAT, 6 INT32, 7 INT64, 10 FLOAT16, 11 DOUBLE, …).
    public var dataType = 0
    /// The bytes of `raw_data`, when present (little-endian, as ONNX stores them).
    public var rawData: ArraySlice<UInt8>?
    /// `float_data`.
    public var floatData: [Float] = []
    /// `int32_data` (also holds INT8/16, UINT8/16, BOOL and FLOAT16 bits).
    public var int32Data: [Int64] = []
    /// `int64_data`.
    public var int64Data: [Int64] = []
    /// `double_data`.
    public var doubleData: [Double] = []
    /// `data_location == EXTERNAL`: the values live in another file.
    public var isExternal = false
}

/// `ValueInfoProto` of a tensor: its name, element type and shape (nil dims are symbolic).
public struct ONNXValueInfo: Sendable {
    /// The value's name.
    public var name = ""
    /// `TensorProto.DataType` of the elements (1 is FLOAT).
    public var elementType = 0
    /// Each dimension's value, or nil for a symbolic (`dim_param`) or missing one.
    public var shape: [Int?]?
}
