// Inputs for the "ONNX models" section of Docs/Errors.md: hand-made protobuf bytes (built with
// the ONNX tests' ProtobufTestEncoder) through the importer, and `resnetc import` for the usage
// errors.
import Foundation
import ResNetCompiler

extension ErrorCatalogueInputs {
    typealias P = ProtobufTestEncoder

    /// The rendered error of importing `bytes` as `model.onnx` ("" if it imports).
    static func onnx(_ bytes: [UInt8]) -> String {
        thrown { _ = try ONNXImporter.importModel(bytes: bytes, fileName: "model.onnx") }
    }

    /// A `ModelProto` whose graph is `graph` (fields of `GraphProto`), importing `opset` in the
    /// default domain unless nil.
    static func onnxModel(graph: [UInt8], opset: Int? = 17) -> [UInt8] {
        P.field(7, bytes: graph) + (opset.map { P.field(8, bytes: P.field(1, string: "") + P.field(2, int: Int64($0))) } ?? [])
    }

    /// `GraphProto` fields: `nodes`, then input `x` [1, 4], then `outputs` [1, 4].
    static func onnxGraph(_ nodes: [[UInt8]], outputs: [String] = ["y"]) -> [UInt8] {
        nodes.flatMap { P.field(1, bytes: $0) } + P.field(11, bytes: P.valueInfo("x", dims: [1, 4]))
            + outputs.flatMap { P.field(12, bytes: P.valueInfo($0, dims: [1, 4])) }
    }

    static let onnxInputs: [String: @Sendable () throws -> String] = [
        "unsupported ONNX operators (opset 17): node '/Tanh' (Tanh), node '/Resize' (Resize)": {
            onnx(P.model(opset: 17, nodes: [P.node("Tanh", name: "/Tanh", inputs: ["x"], outputs: ["t"]),
                                            P.node("Resize", name: "/Resize", inputs: ["t"], outputs: ["y"])]))
        },
        // Malformed protobuf, each at the first level that reads it.
        "malformed ONNX file: at byte 9 in ModelProto: length 62 runs past the end of the data (30 bytes left)": {
            onnx(Array(P.model(opset: 13, nodes: [P.node("Relu", name: "r", inputs: ["x"], outputs: ["y"])]).prefix(40)))
        },
        "varint runs past the end of the data": { onnx([0x08, 0x80]) },
        "varint is longer than 64 bits": { onnx([0x08] + [UInt8](repeating: 0xff, count: 9) + [0x02]) },
        "invalid field number 0": { onnx([0x00, 0x00]) },
        "field 5 has unsupported wire type 3": { onnx([5 << 3 | 3]) },
        // GraphProto's `name` (field 2) as a varint.
        "field 'name' has wire type varint, expected length-delimited": { onnx(P.field(7, bytes: P.field(2, int: 1))) },
        // ModelProto's `producer_name` (field 2) as bytes that are not UTF-8.
        "string is not valid UTF-8": { onnx(P.field(2, bytes: [0xff])) },
        // An initializer whose packed `float_data` (field 4) has 3 bytes.
        "packed floats take 3 bytes, not a multiple of 4": { onnx(P.field(7, bytes: P.field(5, bytes: P.field(4, bytes: [0, 0, 0])))) },
        "more than 400000 items in the graph": {
            let emptyNode = P.field(1, bytes: [])
            return onnx(onnxModel(graph: Array([[UInt8]](repeating: emptyNode, count: ONNXDecoder.maxGraphItems + 1).joined())))
        },
        "the model has no graph": { onnx([]) },
        // Opsets.
        "opset 9 is not supported (resnetc imports opsets 11 to 20)": {
            onnx(P.model(opset: 9, nodes: [P.node("Relu", name: "r", inputs: ["x"], outputs: ["y"])]))
        },
        "the model imports no default-domain opset": {
            onnx(onnxModel(graph: onnxGraph([P.node("Relu", name: "r", inputs: ["x"], outputs: ["y"])]), opset: nil))
        },
        // The graph's inputs and outputs.
        "the graph has 2 inputs ('x', 'z'); resnetc imports models with exactly one": {
            onnx(P.model(opset: 17, nodes: [P.node("Relu", name: "r", inputs: ["x"], outputs: ["y"])],
                         inputs: [P.valueInfo("x", dims: [1, 4]), P.valueInfo("z", dims: [1, 4])]))
        },
        "the graph has no outputs": {
            onnx(onnxModel(graph: onnxGraph([P.node("Relu", name: "r", inputs: ["x"], outputs: ["y"])], outputs: [])))
        },
        "output 'y' is not computed from the input": {
            onnx(onnxModel(graph: onnxGraph([P.node("Relu", name: "r", inputs: ["x"], outputs: ["q"])])))
        },
        // Nodes.
        "node 'm' (Mul): only x * Sigmoid(x) (SiLU) is supported": {
            onnx(P.model(opset: 17, nodes: [P.node("Mul", name: "m", inputs: ["x", "x"], outputs: ["y"])]))
        },
        "node 'r' (Relu): input 'q' is not produced by any node before it": {
            onnx(P.model(opset: 17, nodes: [P.node("Relu", name: "r", inputs: ["q"], outputs: ["y"])]))
        },
        // A Reshape whose target shape is computed, not constant.
        "input 'w' must be a constant (an initializer or a Constant node)": {
            onnx(P.model(opset: 17, nodes: [P.node("Relu", name: "r", inputs: ["x"], outputs: ["w"]),
                                            P.node("Reshape", name: "s", inputs: ["x", "w"], outputs: ["y"])]))
        },
        // The weight's `data_location` (field 14) is EXTERNAL.
        "node '/fc/Gemm' (Gemm): tensor 'fc.weight' stores its data in an external file, which is not supported": {
            let weight = P.tensor("fc.weight", dims: [1, 32], values: Array(repeating: 1, count: 32)) + P.field(14, int: 1)
            let gemm = [P.node("Flatten", name: "/Flatten", inputs: ["x"], outputs: ["f"]),
                        P.node("Gemm", name: "/fc/Gemm", inputs: ["f", "fc.weight"], outputs: ["y"], attributes: [P.attribute("transB", int: 1)])]
            return onnx(P.imageModel(nodes: gemm, initializers: [weight]))
        },
        // Usage errors of `resnetc import`, checked before any file is read.
        "'model.net' is not an ONNX model (.onnx)": { try cli(["import", "model.net"]) },
        "the output 'x.txt' must end in .net": { try cli(["import", "model.onnx", "-o", "x.txt"]) },
    ]
}
