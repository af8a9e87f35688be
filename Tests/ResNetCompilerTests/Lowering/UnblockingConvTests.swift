// Convs with a blocked input and an nchw output (the blocked kernels into a step buffer, then a
// reorder that adds the residual and applies the activation): chosen where an nchw-only reader
// (a windowed average pool) would otherwise demote the network up to the stem, and computing
// what the reference interpreter does on every instruction set the machine runs, for 1 and 3
// threads bit for bit, including a conv the planner writes over its own residual.
import Testing
import ResNetCompiler
import ResNetRuntime

@Suite("Unblocking convs")
struct UnblockingConvTests {
    /// c2 (the residual of c4) and c4 (read by the windowed pool) are nchw, computed from blocked
    /// inputs; c0, c1 and c3 stay blocked.
    static let source = """
        input image: 2x3x12x12
        defaults conv(bias: true)
        a0 = c0: conv(image, 16, kernel: 3, pad: 1) -> relu
        a = c1: conv(a0, 32, kernel: 3, pad: 1) -> relu
        s = c2: conv(a, 32, kernel: 1)
        b = c3: conv(a, 32, kernel: 3, pad: 1) -> relu
        d = c4: conv(b, 32, kernel: 3, pad: 1)
        c = relu(d + s)
        output logits = fc: linear(flatten(avgpool(c, kernel: 2, stride: 2)), 10)
        """

    @Test func layoutsAndResultsOnEveryISA() throws {
        let compilation = try Compiler.compile(source: Self.source, fileName: "unblock.net", options: CompileOptions(seed: 5))
        let plan = compilation.lowered.plan
        func step(_ name: String) throws -> Step { try #require(plan.steps.first { $0.name == name }) }
        for name in ["c0", "c1", "c3"] { #expect(try step(name).output.layout == .nChw16c, "\(name)") }
        for name in ["c2", "c4"] {
            #expect(try step(name).output.layout == .nchw, "\(name)")
            #expect(try step(name).inputs[0].layout == .nChw16c, "\(name)")
        }
        let input = WeightInitializer.makeInput(shape: plan.inputs[0].tensor.shape, seed: 9)
        let expected = try ReferenceInterpreter.run(compilation.sourceGraph, inputs: [input])[0]
        let model = try Model(bytes: try compilation.encoded())
        for isa in KernelISA.available {
            let one = try Session(model: model, threads: 1, kernels: KernelOptions(isa: isa)).run([input])[0]
            let three = try Session(model: model, threads: 3, kernels: KernelOptions(isa: isa)).run([input])[0]
            #expect(maxAbsDifference(one, expected) <= 1e-5 * maxAbs(expected), "\(isa)")
            #expect(one.data == three.data, "\(isa): 1 and 3 threads differ")
        }
    }
}
