// Seeded weights keep a 50-block residual chain finite and bounded (a ResNet-152-depth check).
import ResNetCompiler
import ResNetRuntime
import Testing

/// Naive NCHW reference for the few ops the chain uses (3x3 stride-1 pad-1 conv, BN, ReLU, add).
func evaluateChain(_ graph: Graph, input: Tensor) -> [Float] {
    var values: [Tensor] = []
    for node in graph.nodes {
        switch node.op {
        case .input: values.append(input)
        case .conv: values.append(conv3x3(values[node.inputs[0]], node.params["weight"]!))
        case .batchNorm(let eps):
            var x = values[node.inputs[0]]
            let plane = x.shape[2] * x.shape[3]
            for c in 0..<x.shape[1] {
                let scale = node.params["weight"]![c] / (node.params["running_var"]![c] + Float(eps)).squareRoot()
                for i in 0..<plane {
                    x.data[c * plane + i] = (x.data[c * plane + i] - node.params["running_mean"]![c]) * scale
                        + node.params["bias"]![c]
                }
            }
            values.append(x)
        case .activation:
            var x = values[node.inputs[0]]
            x.data = x.data.map { max($0, 0) }
            values.append(x)
        case .add:
            var x = values[node.inputs[0]]
            x.data = zip(x.data, values[node.inputs[1]].data).map(+)
            values.append(x)
        default: Issue.record("unexpected op"); return []
        }
    }
    return values.last!.data
}

extension Tensor {
    subscript(_ i: Int) -> Float { data[i] }
}

func conv3x3(_ x: Tensor, _ w: Tensor) -> Tensor {
    let (c, h, wd, o) = (x.shape[1], x.shape[2], x.shape[3], w.shape[0])
    var y = Tensor(zeros: [1, o, h, wd])
    for oc in 0..<o { for oy in 0..<h { for ox in 0..<wd {
        var sum: Float = 0
        for ic in 0..<c { for ky in 0..<3 { for kx in 0..<3 {
            let (iy, ix) = (oy + ky - 1, ox + kx - 1)
            if iy < 0 || iy >= h || ix < 0 || ix >= wd { continue }
            sum += x.data[(ic * h + iy) * wd + ix] * w.data[((oc * c + ic) * 3 + ky) * 3 + kx]
        } } }
        y.data[(oc * h + oy) * wd + ox] = sum
    } } }
    return y
}

@Test func fiftyResidualBlocksStayFiniteAndBounded() throws {
    var g = Graph(name: "deep")
    let conv = Op.conv(ConvAttributes(outChannels: 8, kernel: 3, padding: 1, hasBias: false))
    var x = try g.add(.input, inputs: [], name: "x", inputShape: [1, 8, 6, 6])
    for block in 0..<50 {
        let c1 = try g.add(conv, inputs: [x], name: "b\(block).conv1")
        let b1 = try g.add(.batchNorm(eps: 1e-5), inputs: [c1], name: "b\(block).bn1")
        let r1 = try g.add(.activation(.relu), inputs: [b1])
        let c2 = try g.add(conv, inputs: [r1], name: "b\(block).conv2")
        let b2 = try g.add(.batchNorm(eps: 1e-5), inputs: [c2], name: "b\(block).bn2")
        let sum = try g.add(.add, inputs: [b2, x])
        x = try g.add(.activation(.relu), inputs: [sum])
    }
    let filled = WeightInitializer.initialize(g, seed: 3)
    let out = evaluateChain(filled, input: WeightInitializer.makeInput(shape: [1, 8, 6, 6]))
    let peak = out.map(abs).max() ?? .nan
    #expect(out.allSatisfy { $0.isFinite })
    #expect(peak < 1e6 && peak > 1e-3)
}
