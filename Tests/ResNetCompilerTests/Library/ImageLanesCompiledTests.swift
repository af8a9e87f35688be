// Image lanes on compiled plans: a batched ResNet (blocked layouts, residuals written in place,
// an arena whose buffers are reused) splits into a one-image plan, and every way of running the
// batch gives bitwise what the batch-1 compile gives image by image.
import ResNetCompiler
import ResNetRuntime
import Testing

@Suite("Image lanes on compiled plans")
struct ImageLanesCompiledTests {
    /// `LibraryNets.tinyResNet` at 16 and 32 channels, so its blocks run on nChw16c tensors.
    private static let source = LibraryNets.tinyResNet
        .replacingOccurrences(of: "conv(image, 8,", with: "conv(image, 16,")
        .replacingOccurrences(of: "basic(x, 8)", with: "basic(x, 16)")
        .replacingOccurrences(of: "basic(x, 16, stride: 2)", with: "basic(x, 32, stride: 2)")

    @Test("a batch of 4 on lanes, on the whole batch and one image at a time: the same bits")
    func sameBits() throws {
        let batched = try Compiler.compile(source: Self.source, fileName: "tiny.net",
                                           options: CompileOptions(batch: 4)).makeModel()
        let single = try Compiler.compile(source: Self.source, fileName: "tiny.net").makeModel()
        #expect(batched.plan.steps.contains { $0.output.layout == .nChw16c })
        #expect(batched.plan.steps.contains { step in step.inputs.contains { $0.offset == step.output.offset } },
                "some step is written in place")
        let image = try #require(batched.plan.singleImage())
        #expect(image.uniformBatch == 1 && image.steps.count == batched.plan.steps.count)
        #expect(image.arenaFloats * 4 <= batched.plan.arenaFloats)

        let input = WeightInitializer.makeInput(shape: [4, 3, 16, 16], seed: 3)
        let perImage = try Session(model: single)
        var expected: [UInt32] = []
        for n in 0..<4 {
            let slice = Tensor(shape: [1, 3, 16, 16], data: Array(input.data[n * 768..<(n + 1) * 768]))
            expected += try perImage.run([slice])[0].data.map(\.bitPattern)
        }
        for threads in [1, 2, 3, 4, 5] {
            for imageLanes in [true, false] {
                let session = try Session(model: batched, threads: threads, kernels: KernelOptions(imageLanes: imageLanes))
                #expect(session.memory.imageLanes == (imageLanes && threads <= 4 ? threads : 0))
                #expect(try session.run([input])[0].data.map(\.bitPattern) == expected,
                        "threads \(threads), lanes \(imageLanes)")
                // The no-allocation entry reads and writes the same batch buffer.
                var out = [Float](repeating: .nan, count: 40)
                try input.data.withUnsafeBufferPointer { x throws(RuntimeError) in
                    try out.withUnsafeMutableBufferPointer { y throws(RuntimeError) in try session.run(input: x, output: y) }
                }
                #expect(out.map(\.bitPattern) == expected, "run(input:output:), threads \(threads)")
            }
        }
    }
}
