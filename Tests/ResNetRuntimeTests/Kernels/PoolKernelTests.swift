// Max, average and global-average pooling vs the Double reference, including padding, ceil
// mode and both count_include_pad settings.

import ResNetRuntime
import Testing

struct PoolCase: CustomTestStringConvertible, Sendable {
    let size: Int, kernel: Int, stride: Int, padding: Int, ceilMode: Bool, countIncludePad: Bool
    var testDescription: String {
        "\(size)x\(size) k\(kernel) s\(stride) p\(padding)\(ceilMode ? " ceil" : "")\(countIncludePad ? "" : " excl-pad")"
    }
    var params: PoolParams {
        PoolParams(kernel: kernel, stride: stride, padding: padding, ceilMode: ceilMode, countIncludePad: countIncludePad)
    }
}

let poolCases: [PoolCase] = {
    var cases: [PoolCase] = []
    for size in [1, 5, 7, 8, 19] {
        for (kernel, stride) in [(1, 1), (2, 2), (3, 2), (3, 1), (3, 3), (5, 2)] {
            for padding in 0...(kernel / 2) where size + 2 * padding >= kernel {
                for ceilMode in [false, true] {
                    for include in [true, false] {
                        cases.append(PoolCase(size: size, kernel: kernel, stride: stride, padding: padding,
                                              ceilMode: ceilMode, countIncludePad: include))
                    }
                }
            }
        }
    }
    return cases
}()

@Suite("Pool kernels")
struct PoolKernelTests {
    private func input(_ c: PoolCase) -> Tensor {
        var random = SeededRandom(seed: UInt64(c.size * 97 + c.kernel * 13 + c.stride))
        return Tensor(shape: [2, 3, c.size, c.size], data: random.floats(2 * 3 * c.size * c.size))
    }

    @Test("max pooling matches the reference", arguments: poolCases.filter(\.countIncludePad))
    func maxPool(_ c: PoolCase) throws {
        let x = input(c)
        let expected = Reference.pool(x, c.params, max: true)
        let actual = try runSingleStep(.maxPool(c.params), inputs: [x], outputShape: expected.shape)
        expectClose(actual.data, expected.data, c.testDescription)
    }

    @Test("average pooling matches the reference", arguments: poolCases)
    func avgPool(_ c: PoolCase) throws {
        let x = input(c)
        let expected = Reference.pool(x, c.params, max: false)
        let actual = try runSingleStep(.avgPool(c.params), inputs: [x], outputShape: expected.shape)
        expectClose(actual.data, expected.data, c.testDescription)
    }

    @Test("ceil mode drops a window that would start in the right padding")
    func ceilModeDropsLastWindow() throws {
        // PyTorch: MaxPool2d(2, 2, padding=1, ceil_mode=True) on 4x4 gives 3x3, not 4x4.
        let params = PoolParams(kernel: 2, stride: 2, padding: 1, ceilMode: true)
        #expect(Reference.poolExtent(4, params) == 3)
        let x = Tensor(shape: [1, 1, 4, 4], data: (0..<16).map(Float.init))
        let y = try runSingleStep(.maxPool(params), inputs: [x], outputShape: [1, 1, 3, 3])
        #expect(y.data == [0, 2, 3, 8, 10, 11, 12, 14, 15])
    }

    @Test("average divisor counts padding only when asked, never past the padded edge")
    func averageDivisors() throws {
        // 3x3 input of ones, kernel 2, stride 2, padding 1, ceil mode: windows at the edge.
        let x = Tensor(shape: [1, 1, 3, 3], data: Array(repeating: 1, count: 9))
        let include = PoolParams(kernel: 2, stride: 2, padding: 1, ceilMode: true, countIncludePad: true)
        let exclude = PoolParams(kernel: 2, stride: 2, padding: 1, ceilMode: true, countIncludePad: false)
        let a = try runSingleStep(.avgPool(include), inputs: [x], outputShape: [1, 1, 2, 2])
        let b = try runSingleStep(.avgPool(exclude), inputs: [x], outputShape: [1, 1, 2, 2])
        #expect(a.data == [0.25, 0.5, 0.5, 1])
        #expect(b.data == [1, 1, 1, 1])
    }

    @Test("global average pooling", arguments: [1, 5, 7, 8])
    func globalAverage(size: Int) throws {
        var random = SeededRandom(seed: UInt64(size))
        let x = Tensor(shape: [2, 5, size, size], data: random.floats(2 * 5 * size * size))
        let expected = Reference.globalAvgPool(x)
        let actual = try runSingleStep(.globalAvgPool, inputs: [x], outputShape: [2, 5, 1, 1])
        expectClose(actual.data, expected.data, "global \(size)")
    }
}
