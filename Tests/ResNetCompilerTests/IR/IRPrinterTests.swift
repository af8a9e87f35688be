// Exact text of a small graph printed by IRPrinter.
import Testing
import ResNetCompiler
import ResNetRuntime

@Suite struct IRPrinterTests {
    @Test func smallResidualGraphSnapshot() throws {
        var g = Graph(name: "tiny")
        let x = try g.add(.input, inputs: [], name: "x", inputShape: [1, 2, 4, 4])
        let c = try g.add(.conv(ConvAttributes(outChannels: 2, kernel: 3, padding: 1, hasBias: true,
                                               epilogue: Epilogue(residual: .identity, activation: .relu))),
                          inputs: [x, x], name: "layer1.0.conv2",
                          params: ["weight": Tensor(zeros: [2, 2, 3, 3]), "bias": Tensor(zeros: [2])])
        let b = try g.add(.batchNorm(eps: 1e-5), inputs: [c], name: "bn1")
        let p = try g.add(.maxPool(PoolParams(kernel: 2, stride: 2, ceilMode: true)), inputs: [b])
        g.outputs = [GraphOutput(name: "out", node: p)]
        #expect(IRPrinter.print(g) == """
            graph tiny {
              %0 = input "x" : 1x2x4x4
              %1 = conv(%0, %0) out=2 k=3 s=1 p=1 bias=true epilogue=+residual,relu "layer1.0.conv2" : 1x2x4x4  params weight 2x2x3x3, bias 2
              %2 = batchnorm(%1) eps=1e-05 "bn1" : 1x2x4x4
              %3 = maxpool(%2) k=2 s=2 p=0 ceil_mode=true : 1x2x2x2
              output out = %3
            }

            """)
    }
}
