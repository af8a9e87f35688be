// Every conv algorithm on every instruction set this CPU runs, vs the Double reference, over the
// awkward shapes of issue 5 (channels 3/13/16/17/64, kernels 1/3/5/7, spatial 1/7/14/15/56,
// stride 2, padding, groups and depthwise, batch 1 and 3). Tolerance: Tolerance.swift's
// 1e-5 · max|reference| (reductions here are ≤ 64·49 = 3136 Float terms).

import ResNetRuntime
import Testing

/// The awkward-shape table, kept to a few million multiply-adds per case for debug builds.
let awkwardConvCases: [ConvCase] = {
    var cases: [ConvCase] = []
    let channelCounts = [3, 13, 16, 17, 64], kernels = [1, 3, 5, 7], sizes = [1, 7, 14, 15, 56]
    let outChoices = [16, 13, 64, 17, 3]
    for (ci, channels) in channelCounts.enumerated() {
        for (ki, kernel) in kernels.enumerated() {
            for (si, size) in sizes.enumerated() {
                let i = ci * 20 + ki * 5 + si
                let stride = (i / 2) % 2 + 1
                let padding = kernel == 1 ? (i % 5 == 0 ? 1 : 0) : [0, kernel / 2, 1][i % 3]
                let batch = i % 4 == 1 ? 3 : 1
                var c = ConvCase(batch: batch, channels: channels, outChannels: outChoices[(ci + ki + si) % 5],
                                 size: size, kernel: kernel, stride: kernel == 1 && i % 3 == 0 ? 1 : stride,
                                 padding: padding, dilation: 1, groups: 1, bias: i % 7 != 0)
                if c.isValid && c.macs <= 4_000_000 { cases.append(c) }
                // Depthwise and grouped variants on mid-sized planes.
                if size == 14 || size == 15 {
                    c = ConvCase(batch: batch, channels: channels, outChannels: channels, size: size, kernel: kernel,
                                 stride: stride, padding: kernel / 2, dilation: 1, groups: channels, bias: true)
                    if c.isValid { cases.append(c) }
                }
            }
        }
    }
    cases.append(ConvCase(batch: 3, channels: 16, outChannels: 32, size: 15, kernel: 3, stride: 1, padding: 1,
                          dilation: 1, groups: 4, bias: true))
    cases.append(ConvCase(batch: 1, channels: 64, outChannels: 64, size: 14, kernel: 3, stride: 2, padding: 1,
                          dilation: 2, groups: 2, bias: false))
    cases.append(ConvCase(batch: 1, channels: 64, outChannels: 64, size: 56, kernel: 1, stride: 1, padding: 0,
                          dilation: 1, groups: 1, bias: true))
    cases.append(ConvCase(batch: 3, channels: 64, outChannels: 17, size: 7, kernel: 1, stride: 1, padding: 0,
                          dilation: 1, groups: 1, bias: true))
    // Weights above the L2 budget with a small input: units walk blocks outside tiles.
    cases.append(ConvCase(batch: 1, channels: 64, outChannels: 64, size: 7, kernel: 7, stride: 1, padding: 3,
                          dilation: 1, groups: 1, bias: true))
    cases.append(ConvCase(batch: 1, channels: 400, outChannels: 340, size: 7, kernel: 1, stride: 1, padding: 0,
                          dilation: 1, groups: 1, bias: false))
    return cases
}()

extension ConvCase {
    /// Multiply-adds of the case (drives the table's size limit).
    var macs: Int {
        let out = (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1
        return batch * outChannels * out * out * (channels / groups) * kernel * kernel
    }
}

@Suite("Conv paths")
struct ConvPathTests {
    @Test("every algorithm and ISA matches the reference", arguments: awkwardConvCases)
    func matchesReference(_ c: ConvCase) throws {
        var random = SeededRandom(seed: UInt64(c.channels * 7919 + c.kernel * 613 + c.size * 31 + c.outChannels))
        let x = Tensor(shape: [c.batch, c.channels, c.size, c.size],
                       data: random.floats(c.batch * c.channels * c.size * c.size))
        let weight = random.floats(c.outChannels * (c.channels / c.groups) * c.kernel * c.kernel)
        let bias = c.bias ? random.floats(c.outChannels) : nil
        let expected = Reference.conv2d(x, weight: weight, bias: bias, outChannels: c.outChannels, c.params)
        for options in executableKernelPaths {
            let actual = try runStep(.conv2d(c.params), inputs: [x], outputShape: expected.shape,
                                     weights: [weight] + (bias.map { [$0] } ?? []), options: options)
            expectClose(actual.data, expected.data, "\(c.testDescription) \(options.label)")
        }
    }

    @Test("the table covers issue 5's shapes")
    func coverage() {
        let cases = awkwardConvCases
        #expect(Set(cases.map(\.channels)).isSuperset(of: [3, 13, 16, 17, 64]))
        #expect(Set(cases.map(\.kernel)) == [1, 3, 5, 7])
        #expect(Set(cases.map(\.size)) == [1, 7, 14, 15, 56])
        #expect(Set(cases.map(\.stride)) == [1, 2])
        #expect(Set(cases.map(\.batch)) == [1, 3])
        #expect(cases.contains { $0.padding > 0 })
        #expect(cases.contains { $0.groups == $0.channels && $0.channels > 1 })
        #expect(cases.contains { $0.groups > 1 && $0.groups < $0.channels })
        #expect(cases.contains { $0.kernel == 1 && $0.stride == 1 && $0.padding == 0 })
        #expect(cases.count >= 60)
    }

    @Test("every ISA path reports the machine's levels, portable last")
    func isaLevels() {
        #expect(KernelISA.available.last == .portable)
        #expect(KernelOptions(isa: .portable).resolvedISA == .portable)
        for isa in KernelISA.allCases {
            #expect(KernelISA.available.contains(KernelOptions(isa: isa).resolvedISA))
        }
    }
}
