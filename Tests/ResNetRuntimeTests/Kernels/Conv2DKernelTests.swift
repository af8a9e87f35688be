// Conv2d kernel vs the Double reference over a table of channels, kernels, strides, padding,
// dilation, groups, batch and spatial sizes.

import ResNetRuntime
import Testing

struct ConvCase: CustomTestStringConvertible, Sendable {
    let batch: Int, channels: Int, outChannels: Int, size: Int
    let kernel: Int, stride: Int, padding: Int, dilation: Int, groups: Int, bias: Bool

    var testDescription: String {
        "n\(batch) c\(channels)→\(outChannels) \(size)x\(size) k\(kernel) s\(stride) p\(padding) d\(dilation) g\(groups)\(bias ? " bias" : "")"
    }

    var params: Conv2DParams {
        Conv2DParams(kernel: kernel, stride: stride, padding: padding, dilation: dilation,
                     groups: groups, hasBias: bias)
    }

    /// Whether the (dilated) kernel fits the padded input, as PyTorch requires.
    var isValid: Bool { size + 2 * padding >= dilation * (kernel - 1) + 1 }
}

/// The shape table: every channel count, kernel, stride, pad, dilation, group style, batch and
/// spatial size from the spec appears, combined so the case count stays in the hundreds.
let convCases: [ConvCase] = {
    var cases: [ConvCase] = []
    var index = 0
    for channels in [1, 3, 5, 16] {
        for kernel in [1, 3, 5, 7] {
            for size in [1, 5, 7, 8] {
                for stride in [1, 2] {
                    index += 1
                    let padding = index % 4
                    let dilation = index % 3 == 0 ? 2 : 1
                    let batch = index % 2 == 0 ? 2 : 1
                    let groupChoices: [Int] = channels == 16 ? [1, 2, 16] : (channels == 1 ? [1] : [1, channels])
                    for groups in groupChoices {
                        let outChannels = groups == channels ? channels : (channels == 16 ? 8 : 4)
                        let c = ConvCase(batch: batch, channels: channels, outChannels: outChannels, size: size,
                                         kernel: kernel, stride: stride, padding: padding, dilation: dilation,
                                         groups: groups, bias: index % 5 != 0)
                        if c.isValid { cases.append(c) }
                    }
                }
            }
        }
    }
    return cases
}()

@Suite("Conv2D kernel")
struct Conv2DKernelTests {
    @Test("matches the reference", arguments: convCases)
    func matchesReference(_ c: ConvCase) throws {
        var random = SeededRandom(seed: UInt64(c.channels * 1000 + c.kernel * 100 + c.size * 10 + c.stride))
        let x = Tensor(shape: [c.batch, c.channels, c.size, c.size],
                       data: random.floats(c.batch * c.channels * c.size * c.size))
        let weight = random.floats(c.outChannels * (c.channels / c.groups) * c.kernel * c.kernel)
        let bias = c.bias ? random.floats(c.outChannels) : nil
        let expected = Reference.conv2d(x, weight: weight, bias: bias, outChannels: c.outChannels, c.params)
        let actual = try runSingleStep(.conv2d(c.params), inputs: [x], outputShape: expected.shape,
                                       weights: [weight] + (bias.map { [$0] } ?? []))
        #expect(actual.shape == expected.shape)
        expectClose(actual.data, expected.data, c.testDescription)
    }

    @Test("the table covers every required parameter value")
    func tableCoverage() {
        #expect(Set(convCases.map(\.channels)) == [1, 3, 5, 16])
        #expect(Set(convCases.map(\.kernel)) == [1, 3, 5, 7])
        #expect(Set(convCases.map(\.stride)) == [1, 2])
        #expect(Set(convCases.map(\.padding)) == [0, 1, 2, 3])
        #expect(Set(convCases.map(\.dilation)) == [1, 2])
        #expect(Set(convCases.map(\.batch)) == [1, 2])
        #expect(Set(convCases.map(\.size)) == [1, 5, 7, 8])
        #expect(convCases.contains { $0.groups == 2 })
        #expect(convCases.contains { $0.groups == $0.channels && $0.channels > 1 })
    }
}
