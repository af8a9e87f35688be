// Malformed, truncated and out-of-scope ONNX files: exact errors naming the file, never a crash.
import Foundation
import ResNetCompiler
import Testing

@Suite("ONNX import errors")
struct ONNXMalformedTests {
    typealias P = ProtobufTestEncoder

    private func error(_ bytes: [UInt8], file: String = "m.onnx") -> String? {
        do { _ = try ONNXImporter.importModel(bytes: bytes, fileName: file); return nil } catch { return error.description }
    }

    @Test("a hand-made Relu model imports; the .net is what the writer promises")
    func minimalModel() throws {
        let bytes = P.model(opset: 13, nodes: [P.node("Relu", name: "r", inputs: ["x"], outputs: ["y"])])
        let imported = try ONNXImporter.importModel(bytes: bytes, fileName: "tiny.onnx")
        #expect(imported.source == """
            # Imported from tiny.onnx (ONNX opset 13, made by test) by resnetc import.
            network tiny
            input x: [1, 4]

            output y = relu(x)

            """)
    }

    @Test("truncated and garbage bytes give the exact malformed-file error")
    func truncated() {
        let bytes = P.model(opset: 13, nodes: [P.node("Relu", name: "r", inputs: ["x"], outputs: ["y"])])
        #expect(error(Array(bytes.prefix(40))) == "m.onnx: error: malformed ONNX file: at byte 9 in ModelProto: length 62 runs past the end of the data (30 bytes left)")
        #expect(error([]) == "m.onnx: error: malformed ONNX file: at byte 0 in ModelProto: the model has no graph")
        #expect(error([0x08, 0x80]) == "m.onnx: error: malformed ONNX file: at byte 1 in ModelProto: varint runs past the end of the data")
        #expect(error([0x3a, 0x03, 0x0a, 0x05, 0x00]) == "m.onnx: error: malformed ONNX file: at byte 3 in ModelProto.graph: length 5 runs past the end of the data (1 bytes left)")
        #expect(error([0x3a, 0x02, 0x0a, 0x00, 0x3a, 0x02, 0x0a, 0x01]) == "m.onnx: error: malformed ONNX file: at byte 7 in ModelProto.graph: length 1 runs past the end of the data (0 bytes left)")
        #expect(error([0x3a, 0x04, 0x0a, 0x02, 0x22, 0x05]) == "m.onnx: error: malformed ONNX file: at byte 5 in GraphProto.node[0]: length 5 runs past the end of the data (0 bytes left)")
        #expect(error([0x3a, 0x02, 0x08, 0x01]) == "m.onnx: error: malformed ONNX file: at byte 3 in ModelProto.graph: field 'GraphProto field 1' has wire type varint, expected length-delimited")
    }

    @Test("every prefix and many byte flips of a real model fail cleanly or import")
    func prefixesAndFlips() throws {
        let path = onnxFixture("mixed_ops_op11.onnx")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for length in stride(from: 0, to: bytes.count, by: 13) {
            #expect(error(Array(bytes.prefix(length)), file: path)?.hasPrefix(path + ": error: ") == true, "prefix \(length)")
        }
        var state: UInt64 = 7
        for _ in 0..<300 {
            var mutated = bytes
            state = state &* 6364136223846793005 &+ 1442695040888963407
            mutated[Int(state >> 33) % bytes.count] ^= UInt8(truncatingIfNeeded: state >> 13) | 1
            if let message = error(mutated, file: path) { #expect(message.hasPrefix(path + ": error: ")) }
        }
    }

    @Test("opset, inputs and operator domains outside the supported set")
    func scope() {
        let relu = P.node("Relu", name: "r", inputs: ["x"], outputs: ["y"])
        #expect(error(P.model(opset: 9, nodes: [relu])) == "m.onnx: error: opset 9 is not supported (resnetc imports opsets 11 to 20)")
        #expect(error(P.model(opset: 17, nodes: [relu], inputs: [P.valueInfo("x", dims: [1, 4]), P.valueInfo("z", dims: [1, 4])]))
            == "m.onnx: error: the graph has 2 inputs ('x', 'z'); resnetc imports models with exactly one")
        let foreign = P.node("Gelu", name: "g", inputs: ["x"], outputs: ["y"]) + P.field(7, string: "com.microsoft")
        #expect(error(P.model(opset: 17, nodes: [foreign, P.node("Tanh", name: "t", inputs: ["y"], outputs: ["z"])]))
            == "m.onnx: error: unsupported ONNX operators (opset 17): node 'g' (com.microsoft.Gelu), node 't' (Tanh)")
        #expect(error(P.model(opset: 17, nodes: [P.node("Relu", name: "r", inputs: ["q"], outputs: ["y"])]))
            == "m.onnx: error: node 'r' (Relu): input 'q' is not produced by any node before it")
        #expect(error(P.model(opset: 17, nodes: [P.node("Mul", name: "m", inputs: ["x", "x"], outputs: ["y"])]))
            == "m.onnx: error: node 'm' (Mul): only x * Sigmoid(x) (SiLU) is supported")
        #expect(error(P.model(opset: 17, nodes: [P.node("Softmax", name: "s", inputs: ["x"], outputs: ["y"]) + P.field(5, bytes: P.field(1, string: "axis") + P.field(3, int: 0) + P.field(20, int: 2))]))
            == "m.onnx: error: node 's' (Softmax): only softmax over the last axis of [N, C] is supported (input 1x4, axis 0)")
    }

    @Test("supported operators outside their conditions name the node and the reason")
    func conditions() {
        let weight = P.tensor("w", dims: [2, 2, 3, 3], values: Array(repeating: 0.1, count: 36))
        let unevenConv = P.node("Conv", name: "/c/Conv", inputs: ["x", "w"], outputs: ["y"], attributes: [P.attribute("pads", ints: [0, 0, 1, 1])])
        #expect(error(P.imageModel(nodes: [unevenConv], initializers: [weight]))
            == "m.onnx: error: node '/c/Conv' (Conv): pads [0, 0, 1, 1] are not the same on every side")
        let samePad = P.node("Conv", name: "/c/Conv", inputs: ["x", "w"], outputs: ["y"], attributes: [P.attribute("auto_pad", string: "SAME_UPPER")])
        #expect(error(P.imageModel(nodes: [samePad], initializers: [weight]))
            == "m.onnx: error: node '/c/Conv' (Conv): auto_pad SAME_UPPER is not supported; export with explicit pads")
        let huge = P.node("Conv", name: "/c/Conv", inputs: ["x", "w"], outputs: ["y"],
                          attributes: [P.attribute("kernel_shape", ints: [3, 3]), P.attribute("strides", ints: [1 << 40, 1 << 40])])
        #expect(error(P.imageModel(nodes: [huge], initializers: [weight]))
            == "m.onnx: error: node '/c/Conv' (Conv): kernel, stride and dilation [3, 1099511627776, 1] must be between 1 and 16777216")
        let pads = P.tensor("pads", dims: [8], values: [0, 0, 1, 1, 0, 0, 1, 1], int64: true)
        let pad = P.node("Pad", name: "/Pad", inputs: ["x", "pads"], outputs: ["p"])
        let pool = P.node("MaxPool", name: "/MaxPool", inputs: ["p"], outputs: ["y"], attributes: [P.attribute("kernel_shape", ints: [2, 2])])
        #expect(error(P.imageModel(nodes: [pad, pool], initializers: [pads]))
            == "m.onnx: error: node '/Pad' (Pad): zero padding is only supported when it feeds a Conv or AveragePool; it feeds node '/MaxPool' (MaxPool)")
        let shape = P.tensor("s", dims: [2], values: [2, 16], int64: true)
        let reshape = P.node("Reshape", name: "/Reshape", inputs: ["x", "s"], outputs: ["y"])
        #expect(error(P.imageModel(nodes: [reshape], initializers: [shape]))
            == "m.onnx: error: node '/Reshape' (Reshape): reshape of 1x2x4x4 to 2x16 is not supported (only to [N, -1])")
        let short = P.tensor("fc.weight", dims: [1, 32], values: Array(repeating: 1, count: 32), dropBytes: 4)
        let gemm = [P.node("Flatten", name: "/Flatten", inputs: ["x"], outputs: ["f"]),
                    P.node("Gemm", name: "/fc/Gemm", inputs: ["f", "fc.weight"], outputs: ["y"], attributes: [P.attribute("transB", int: 1)])]
        #expect(error(P.imageModel(nodes: gemm, initializers: [short]))
            == "m.onnx: error: node '/fc/Gemm' (Gemm): tensor 'fc.weight' has 124 bytes of raw_data; 32 elements of FLOAT need 128")
        let good = P.tensor("fc.weight", dims: [1, 32], values: Array(repeating: 1, count: 32))
        #expect(error(P.imageModel(nodes: gemm, initializers: [good])) == nil)
    }

    @Test("a file that does not exist")
    func missingFile() {
        #expect(throws: ONNXError(file: "/nonexistent/m.onnx", message: "cannot read file (does it exist?)")) {
            try ONNXImporter.importModel(path: "/nonexistent/m.onnx")
        }
    }
}
