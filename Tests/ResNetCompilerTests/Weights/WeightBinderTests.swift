// Weight binder: loads matching tensors and reports every kind of problem together.
import Foundation
import ResNetCompiler
import ResNetRuntime
import Testing

/// input 1x3x4x4 → conv1 (4 out, 3x3, no bias) → bn1 → relu → flatten-free pool → fc (2 out).
func smallClassifier() throws -> Graph {
    var g = Graph(name: "small")
    let x = try g.add(.input, inputs: [], name: "x", inputShape: [1, 3, 4, 4])
    let c = try g.add(.conv(ConvAttributes(outChannels: 4, kernel: 3, padding: 1, hasBias: false)), inputs: [x], name: "conv1")
    let b = try g.add(.batchNorm(eps: 1e-5), inputs: [c], name: "bn1")
    let r = try g.add(.activation(.relu), inputs: [b])
    let p = try g.add(.globalAvgPool, inputs: [r])
    let f = try g.add(.flatten, inputs: [p])
    let fc = try g.add(.linear(LinearAttributes(outFeatures: 2, hasBias: true)), inputs: [f], name: "fc")
    g.outputs = [GraphOutput(name: "y", node: fc)]
    return g
}

func ramp(_ shape: [Int]) -> Tensor {
    Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { Float($0) * 0.5 })
}

@Test func binderLoadsEveryParameterAndIgnoresBatchCounters() throws {
    let graph = try smallClassifier()
    var tensors: [(String, Tensor)] = [("conv1.weight", ramp([4, 3, 3, 3])), ("fc.weight", ramp([2, 4])),
                                       ("fc.bias", ramp([2])), ("bn1.num_batches_tracked", ramp([]))]
    for p in ["weight", "bias", "running_mean", "running_var"] { tensors.append(("bn1.\(p)", ramp([4]))) }
    let file = try SafetensorsFile(bytes: SafetensorsWriter.encode(tensors), name: "ok.safetensors")
    let bound = try WeightBinder.bind(graph, from: file)
    #expect(bound.nodes[1].params["weight"] == ramp([4, 3, 3, 3]))
    #expect(bound.nodes[2].params["running_var"] == ramp([4]))
    #expect(bound.nodes[6].params["bias"] == ramp([2]))
    #expect(bound.nodes[6].params.count == 2)
}

@Test func binderReportsAllProblemKindsTogether() throws {
    let graph = try smallClassifier()
    // fc.bias missing, conv1.weight misshaped, bn1.running_var int64, two extra tensors.
    let float = SafetensorsWriter.encode([("conv1.weight", ramp([4, 3, 1, 1])), ("fc.weight", ramp([2, 4])),
                                          ("fc.bais", ramp([2])), ("layer5.0.conv1.weight", ramp([1])),
                                          ("bn1.weight", ramp([4])), ("bn1.bias", ramp([4])),
                                          ("bn1.running_mean", ramp([4])), ("bn1.running_var", ramp([4]))])
    // Re-label bn1.running_var as I32 (same byte size) by editing the header text in place.
    var bytes = float
    let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
    var header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
    header = header.replacingOccurrences(of: #""bn1.running_var":{"dtype":"F32""#, with: #""bn1.running_var":{"dtype":"I32""#)
    bytes.replaceSubrange(8..<(8 + headerLength), with: Array(header.utf8))
    let file = try SafetensorsFile(bytes: bytes, name: "bad.safetensors")
    let expected = WeightError(file: "bad.safetensors", problems: [
        "tensor 'conv1.weight': expected shape 4x3x3x3, found 4x3x1x1",
        "tensor 'bn1.running_var': dtype I32 cannot be a weight (expected F32, F16 or BF16)",
        "missing tensor 'fc.bias' (expected shape 2)",
        "unexpected tensor 'fc.bais' (no layer uses it); did you mean 'fc.bias'?",
        "unexpected tensor 'layer5.0.conv1.weight' (no layer uses it)",
    ])
    #expect(throws: expected) { try WeightBinder.bind(graph, from: file) }
    #expect(expected.description.hasPrefix("bad.safetensors: 5 problem(s) with the weights:\n  - tensor 'conv1.weight'"))
}
