// Non-convolution steps over nChw16c tensors vs the same steps over NCHW: max pool and add are
// bitwise equal (NaN, ±∞ and ±0 included; NaN + NaN payloads aside), global average pooling
// within 1e-6 relative.

import ResNetRuntime
import Testing

struct BlockedPoolCase: CustomTestStringConvertible, Sendable {
    let shape: [Int], kernel: Int, stride: Int, padding: Int, ceilMode: Bool
    var testDescription: String {
        "\(shape) k\(kernel) s\(stride) p\(padding)\(ceilMode ? " ceil" : "")"
    }
    var params: PoolParams { PoolParams(kernel: kernel, stride: stride, padding: padding, ceilMode: ceilMode) }
    var outputShape: [Int] {
        [shape[0], shape[1], Reference.poolExtent(shape[2], params), Reference.poolExtent(shape[3], params)]
    }
}

let blockedPoolCases: [BlockedPoolCase] = [
    BlockedPoolCase(shape: [1, 32, 15, 15], kernel: 3, stride: 2, padding: 1, ceilMode: false),
    BlockedPoolCase(shape: [2, 16, 7, 7], kernel: 3, stride: 2, padding: 1, ceilMode: false),
    BlockedPoolCase(shape: [1, 64, 56, 56], kernel: 3, stride: 2, padding: 1, ceilMode: false),
    BlockedPoolCase(shape: [2, 16, 8, 8], kernel: 3, stride: 2, padding: 1, ceilMode: true),
    BlockedPoolCase(shape: [1, 32, 7, 7], kernel: 2, stride: 2, padding: 0, ceilMode: true),
    BlockedPoolCase(shape: [1, 16, 4, 4], kernel: 2, stride: 2, padding: 1, ceilMode: true),
    BlockedPoolCase(shape: [1, 16, 9, 12], kernel: 3, stride: 1, padding: 1, ceilMode: false),
    BlockedPoolCase(shape: [1, 16, 2, 1], kernel: 1, stride: 1, padding: 0, ceilMode: false),
]

/// Epilogues the blocked steps may carry: none, an activation, an identity residual.
enum BlockedEpilogue: String, CaseIterable, Sendable {
    case none, relu, residualRelu
    var epilogue: Epilogue {
        switch self {
        case .none: return Epilogue()
        case .relu: return Epilogue(activation: .relu)
        case .residualRelu: return Epilogue(residual: .identity, activation: .relu)
        }
    }
}

/// Uniform floats with about a quarter replaced by NaNs (two payloads, both signs), ±∞ and ±0,
/// so max ties and NaN propagation are exercised.
func floatsWithSpecials(_ count: Int, seed: UInt64) -> [Float] {
    var random = SeededRandom(seed: seed)
    let specials: [Float] = [.nan, -Float(nan: 3, signaling: false), Float(nan: 5, signaling: false),
                             .infinity, -.infinity, 0, -0, 0, -0]
    return random.floats(count).map { value in
        Int.random(in: 0..<4, using: &random) == 0 ? specials.randomElement(using: &random)! : value
    }
}

/// Expects identical bit patterns (signed zeros count). NaN payloads count unless
/// `anyNaNPayload`: the payload of NaN + NaN is whichever operand the instruction takes first,
/// which differs between the vector and scalar parts of one loop, so an add (or a residual) at
/// another position of its row may keep the other NaN even in NCHW.
func expectBitwiseEqual(_ actual: [Float], _ expected: [Float], _ label: String, anyNaNPayload: Bool = false,
                        sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(label): count", sourceLocation: sourceLocation)
    let mismatch = zip(actual, expected).enumerated().first { _, pair in
        pair.0.bitPattern != pair.1.bitPattern && !(anyNaNPayload && pair.0.isNaN && pair.1.isNaN)
    }
    #expect(mismatch == nil, "\(label): first mismatch at \(mismatch?.offset ?? -1): \(mismatch.map { "\($0.element.0) vs \($0.element.1)" } ?? "")",
            sourceLocation: sourceLocation)
}

@Suite("Blocked (nChw16c) non-conv kernels")
struct BlockedKernelTests {
    @Test("the reorder helpers follow the layout's index formula")
    func reorderHelpers() {
        let shape = [2, 32, 2, 3]
        let x = Tensor(shape: shape, data: (0..<(2 * 32 * 6)).map(Float.init))
        let blocked = toBlocked(x)
        // (n 1, c 17, h 1, w 2): NCHW ((1·32 + 17)·2 + 1)·3 + 2 = 299; blocked ((2 + 1)·6 + 5)·16 + 1.
        #expect(blocked.data[((2 + 1) * 6 + 5) * 16 + 1] == 299)
        #expect(blockedIndex(shape, 1, 17, 1, 2) == ((2 + 1) * 6 + 5) * 16 + 1)
        #expect(fromBlocked(blocked) == x)
    }

    @Test("max pooling over nChw16c equals NCHW bitwise",
          arguments: blockedPoolCases, BlockedEpilogue.allCases)
    func maxPool(_ c: BlockedPoolCase, _ kind: BlockedEpilogue) throws {
        let x = Tensor(shape: c.shape, data: floatsWithSpecials(c.shape.reduce(1, *), seed: UInt64(c.shape.reduce(1, *))))
        var inputs = [x]
        if kind == .residualRelu {
            inputs.append(Tensor(shape: c.outputShape, data: floatsWithSpecials(c.outputShape.reduce(1, *), seed: 99)))
        }
        let expected = try runSingleStep(.maxPool(c.params), inputs: inputs, outputShape: c.outputShape,
                                         epilogue: kind.epilogue)
        // The blocked max pool runs in the kernel modules: every instruction set this machine runs.
        for isa in KernelISA.available {
            for threads in [1, 3] {
                let actual = try runSingleStep(.maxPool(c.params), inputs: inputs,
                                               layouts: inputs.map { _ in .nChw16c }, outputShape: c.outputShape,
                                               outputLayout: .nChw16c, epilogue: kind.epilogue, threads: threads,
                                               kernels: KernelOptions(isa: isa))
                expectBitwiseEqual(actual.data, expected.data, "\(c.testDescription) \(kind) t\(threads) \(isa.rawValue)",
                                   anyNaNPayload: kind == .residualRelu)
            }
        }
    }

    @Test("global average pooling from nChw16c to NCHW matches NCHW",
          arguments: [[1, 32, 7, 7], [3, 16, 5, 5], [2, 48, 2, 1]], [BlockedEpilogue.none, .relu])
    func globalAverage(_ shape: [Int], _ kind: BlockedEpilogue) throws {
        var random = SeededRandom(seed: UInt64(shape.reduce(1, *)))
        let x = Tensor(shape: shape, data: random.floats(shape.reduce(1, *)).map { $0 * 3 })
        let outputShape = [shape[0], shape[1], 1, 1]
        let expected = try runSingleStep(.globalAvgPool, inputs: [x], outputShape: outputShape, epilogue: kind.epilogue)
        for threads in [1, 2] {
            let actual = try runSingleStep(.globalAvgPool, inputs: [x], layouts: [.nChw16c], outputShape: outputShape,
                                           outputLayout: .nchw, epilogue: kind.epilogue, threads: threads)
            #expect(actual.data.count == expected.data.count)
            for (i, (a, e)) in zip(actual.data, expected.data).enumerated() {
                #expect(abs(a - e) <= 1e-6 * abs(e), "\(shape) \(kind) t\(threads) [\(i)]: \(a) vs \(e)")
            }
        }
    }

    @Test("add, activation and copy with every operand blocked equal NCHW bitwise",
          arguments: [[2, 32, 5, 5], [1, 16, 56, 56]])
    func elementwise(_ shape: [Int]) throws {
        let count = shape.reduce(1, *)
        let a = Tensor(shape: shape, data: floatsWithSpecials(count, seed: 1))
        let b = Tensor(shape: shape, data: floatsWithSpecials(count, seed: 2))
        let steps: [(StepOp, [Tensor], Epilogue)] = [
            (.add, [a, b], Epilogue(activation: .relu)),
            (.add, [a, b], Epilogue()),
            (.activation, [a], Epilogue(activation: .relu6)),
            (.copy, [a], Epilogue(residual: .identity, activation: .relu)),
        ]
        for (op, inputs, epilogue) in steps {
            var operands = inputs
            if epilogue.residual != nil { operands.append(b) }
            let expected = try runSingleStep(op, inputs: operands, outputShape: shape, epilogue: epilogue)
            let actual = try runSingleStep(op, inputs: operands, layouts: operands.map { _ in .nChw16c },
                                           outputShape: shape, outputLayout: .nChw16c, epilogue: epilogue, threads: 2)
            expectBitwiseEqual(actual.data, expected.data, "\(op) \(epilogue) \(shape)", anyNaNPayload: true)
        }
    }
}
