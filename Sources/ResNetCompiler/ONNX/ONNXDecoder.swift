// Decodes ONNX's protobuf messages into `ONNXModel`, field by field, with limits on counts so
// a hostile file cannot make the importer allocate without bound.

/// Reads the ONNX messages the importer needs from protobuf bytes.
public enum ONNXDecoder {
    /// Most nodes, initializers, inputs and outputs in a graph, together.
    public static let maxGraphItems = 400_000
    /// Most attributes on one node, inputs or outputs of one node, dimensions of one tensor.
    public static let maxNodeItems = 1_000

    /// Decodes a `ModelProto`.
    public static func model(_ bytes: [UInt8]) throws(ProtobufError) -> ONNXModel {
        var reader = ProtobufReader(bytes: bytes)
        var model = ONNXModel()
        var sawGraph = false
        try within("ModelProto") { () throws(ProtobufError) in
            while let (number, wire) = try reader.nextField() {
                switch number {
                case 2:
                    try reader.expect(.lengthDelimited, wire, field: "producer_name")
                    model.producerName = try reader.readString()
                case 7:
                    try reader.expect(.lengthDelimited, wire, field: "graph")
                    var sub = try reader.readMessage()
                    model.graph = try within("ModelProto.graph") { () throws(ProtobufError) in try graph(&sub) }
                    sawGraph = true
                case 8:
                    try reader.expect(.lengthDelimited, wire, field: "opset_import")
                    var sub = try reader.readMessage()
                    let (domain, version) = try within("ModelProto.opset_import") { () throws(ProtobufError) in try opset(&sub) }
                    model.opsets[domain] = version
                default:
                    try reader.skip(wire)
                }
            }
        }
        guard sawGraph else { throw ProtobufError(offset: bytes.count, message: "the model has no graph", context: "ModelProto") }
        return model
    }

    /// Runs `body`, naming `context` in an error that does not name one yet.
    static func within<T>(_ context: String, _ body: () throws(ProtobufError) -> T) throws(ProtobufError) -> T {
        do { return try body() } catch {
            var error = error
            if error.context == nil { error.context = context }
            throw error
        }
    }

    private static func opset(_ reader: inout ProtobufReader) throws(ProtobufError) -> (String, Int) {
        var domain = "", version: Int64 = 0
        while let (number, wire) = try reader.nextField() {
            switch number {
            case 1:
                try reader.expect(.lengthDelimited, wire, field: "domain")
                domain = try reader.readString()
            case 2:
                try reader.expect(.varint, wire, field: "version")
                version = try reader.readInt64()
            default: try reader.skip(wire)
            }
        }
        return (domain, Int(clamping: version))
    }

    private static func graph(_ reader: inout ProtobufReader) throws(ProtobufError) -> ONNXGraph {
        var graph = ONNXGraph()
        while let (number, wire) = try reader.nextField() {
            let start = reader.position
            switch number {
            case 1, 5, 11, 12:
                try reader.expect(.lengthDelimited, wire, field: "GraphProto field \(number)")
                guard graph.nodes.count + graph.initializers.count + graph.inputs.count + graph.outputs.count
                    < maxGraphItems else {
                    throw ProtobufError(offset: start, message: "more than \(maxGraphItems) items in the graph")
                }
                var sub = try reader.readMessage()
                switch number {
                case 1:
                    let index = graph.nodes.count
                    graph.nodes.append(try within("GraphProto.node[\(index)]") { () throws(ProtobufError) in try node(&sub) })
                case 5:
                    let index = graph.initializers.count
                    graph.initializers.append(try within("GraphProto.initializer[\(index)]") { () throws(ProtobufError) in
                        try ONNXTensorDecoder.tensor(&sub)
                    })
                case 11:
                    graph.inputs.append(try within("GraphProto.input") { () throws(ProtobufError) in try valueInfo(&sub) })
                default:
                    graph.outputs.append(try within("GraphProto.output") { () throws(ProtobufError) in try valueInfo(&sub) })
                }
            case 2:
                try reader.expect(.lengthDelimited, wire, field: "name")
                graph.name = try reader.readString()
            default:
                try reader.skip(wire)
            }
        }
        return graph
    }

    private static func node(_ reader: inout ProtobufReader) throws(ProtobufError) -> ONNXNode {
        var node = ONNXNode()
        while let (number, wire) = try reader.nextField() {
            let start = reader.position
            switch number {
            case 1, 2, 3, 4, 7:
                try reader.expect(.lengthDelimited, wire, field: ["", "input", "output", "name", "op_type", "", "", "domain"][number])
                guard node.inputs.count + node.outputs.count < maxNodeItems else {
                    throw ProtobufError(offset: start, message: "more than \(maxNodeItems) inputs and outputs")
                }
                let text = try reader.readString()
                switch number {
                case 1: node.inputs.append(text)
                case 2: node.outputs.append(text)
                case 3: node.name = text
                case 4: node.opType = text
                default: node.domain = text
                }
            case 5:
                try reader.expect(.lengthDelimited, wire, field: "attribute")
                guard node.attributes.count < maxNodeItems else {
                    throw ProtobufError(offset: start, message: "more than \(maxNodeItems) attributes")
                }
                var sub = try reader.readMessage()
                node.attributes.append(try within("NodeProto.attribute") { () throws(ProtobufError) in try attribute(&sub) })
            default:
                try reader.skip(wire)
            }
        }
        return node
    }

    private static func attribute(_ reader: inout ProtobufReader) throws(ProtobufError) -> ONNXAttribute {
        var attribute = ONNXAttribute()
        while let (number, wire) = try reader.nextField() {
            switch number {
            case 1:
                try reader.expect(.lengthDelimited, wire, field: "name")
                attribute.name = try reader.readString()
            case 20:
                try reader.expect(.varint, wire, field: "type")
                attribute.type = Int(truncatingIfNeeded: try reader.readInt64())
            case 2:
                try reader.expect(.fixed32, wire, field: "f")
                attribute.float = Float(bitPattern: try reader.readFixed32())
            case 3:
                try reader.expect(.varint, wire, field: "i")
                attribute.int = try reader.readInt64()
            case 4:
                try reader.expect(.lengthDelimited, wire, field: "s")
                attribute.string = Array(reader.bytes[try reader.readLengthDelimited()])
            case 5:
                try reader.expect(.lengthDelimited, wire, field: "t")
                var sub = try reader.readMessage()
                attribute.tensor = try within("AttributeProto.t") { () throws(ProtobufError) in try ONNXTensorDecoder.tensor(&sub) }
            case 7:
                try reader.readRepeatedFloat(wire, into: &attribute.floats)
            case 8:
                try reader.readRepeatedInt64(wire, into: &attribute.ints)
            default:
                try reader.skip(wire)
            }
        }
        return attribute
    }

    private static func valueInfo(_ reader: inout ProtobufReader) throws(ProtobufError) -> ONNXValueInfo {
        var info = ONNXValueInfo()
        while let (number, wire) = try reader.nextField() {
            switch number {
            case 1:
                try reader.expect(.lengthDelimited, wire, field: "name")
                info.name = try reader.readString()
            case 2:
                try reader.expect(.lengthDelimited, wire, field: "type")
                var type = try reader.readMessage()
                while let (typeField, typeWire) = try type.nextField() {
                    guard typeField == 1 else { try type.skip(typeWire); continue }
                    try type.expect(.lengthDelimited, typeWire, field: "tensor_type")
                    var tensorType = try type.readMessage()
                    try tensorTypeFields(&tensorType, into: &info)
                }
            default:
                try reader.skip(wire)
            }
        }
        return info
    }

    private static func tensorTypeFields(_ reader: inout ProtobufReader, into info: inout ONNXValueInfo) throws(ProtobufError) {
        while let (number, wire) = try reader.nextField() {
            switch number {
            case 1:
                try reader.expect(.varint, wire, field: "elem_type")
                info.elementType = Int(truncatingIfNeeded: try reader.readInt64())
            case 2:
                try reader.expect(.lengthDelimited, wire, field: "shape")
                var shape = try reader.readMessage()
                var dims: [Int?] = []
                while let (dimField, dimWire) = try shape.nextField() {
                    guard dimField == 1 else { try shape.skip(dimWire); continue }
                    try shape.expect(.lengthDelimited, dimWire, field: "dim")
                    guard dims.count < maxNodeItems else {
                        throw ProtobufError(offset: shape.position, message: "more than \(maxNodeItems) dimensions")
                    }
                    var dim = try shape.readMessage()
                    var value: Int?
                    while let (valueField, valueWire) = try dim.nextField() {
                        if valueField == 1, valueWire == .varint {
                            value = Int(truncatingIfNeeded: try dim.readInt64())
                        } else {
                            try dim.skip(valueWire)
                        }
                    }
                    dims.append(value)
                }
                info.shape = dims
            default:
                try reader.skip(wire)
            }
        }
    }
}
