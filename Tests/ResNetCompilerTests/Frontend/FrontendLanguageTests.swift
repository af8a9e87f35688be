// Happy paths of the DSL on small sources: ops and their defaults, names, shapes, control flow.
import Testing
import ResNetCompiler
import ResNetRuntime

@Suite struct FrontendLanguageTests {
    private func graph(_ source: String, file: String = "test.net", _ options: FrontendOptions = .init()) throws -> Graph {
        try Frontend.elaborate(source: source, fileName: file, options: options)
    }

    /// The op of the node with `name`.
    private func op(_ g: Graph, _ name: String) -> Op? { g.nodes.first { $0.name == name }?.op }

    @Test func everyOpMapsToItsIROp() throws {
        let g = try graph("""
        input x: 2x4x9x9
        defaults conv(bias: false)
        a = c1: conv(x, 8, 3, 2, 1, 1, 1) -> b1: batchnorm(eps: 1e-3)
        b = c2: conv(x, 4, kernel: 3, pad: 1, groups: 4, bias: true, dilation: 1) -> r6: relu6 -> sg: sigmoid
        b = b -> silu -> lr: leaky_relu(slope: 0.2) -> mp: maxpool(3, ceil: true)
        c = ap: avgpool(x, kernel: 2, stride: 1, pad: 1, count_include_pad: false)
        s = sa: shortcut_a(x, 8, stride: 2)
        d = fc: linear(flatten(global_avgpool(a)), 10, bias: false) -> dropout(p: 0.1) -> sm: softmax
        output y = d
        output z = add(s, a)
        """)
        #expect(op(g, "c1") == .conv(ConvAttributes(outChannels: 8, kernel: 3, stride: 2, padding: 1, hasBias: false)))
        #expect(op(g, "b1") == .batchNorm(eps: 1e-3))
        #expect(op(g, "c2") == .conv(ConvAttributes(outChannels: 4, kernel: 3, padding: 1, groups: 4, hasBias: true)))
        #expect(op(g, "r6") == .activation(.relu6))
        #expect(op(g, "sg") == .activation(.sigmoid))
        #expect(op(g, "lr") == .activation(.leakyRelu(slope: 0.2)))
        #expect(op(g, "mp") == .maxPool(PoolParams(kernel: 3, stride: 3, ceilMode: true)))
        #expect(g.nodes.first { $0.name == "mp" }?.shape == [2, 4, 3, 3])
        #expect(op(g, "ap") == .avgPool(PoolParams(kernel: 2, stride: 1, padding: 1, countIncludePad: false)))
        #expect(g.nodes.first { $0.name == "ap" }?.shape == [2, 4, 10, 10])
        #expect(op(g, "sa") == .shortcutA(outChannels: 8, stride: 2))
        #expect(op(g, "fc") == .linear(LinearAttributes(outFeatures: 10, hasBias: false)))
        #expect(op(g, "sm") == .softmax)
        #expect(g.nodes.contains { $0.op == .dropout(p: 0.1) && $0.name.isEmpty })
        #expect(g.nodes.contains { $0.op == .activation(.silu) })
        #expect(g.nodes.contains { $0.op == .flatten } && g.nodes.contains { $0.op == .globalAvgPool })
        #expect(g.outputs.map(\.name) == ["y", "z"])
        #expect(g.nodes[g.outputs[1].node].op == .add)
        #expect(g.nodes[g.outputs[1].node].shape == [2, 8, 5, 5])
        #expect(g.name == "test")
        #expect(g.nodes[0].op == .input && g.nodes[0].name == "x" && g.nodes[0].shape == [2, 4, 9, 9])
    }

    @Test func nodesCarryTheirSourceLocation() throws {
        let g = try graph("input x: 1x3x8x8\n\n  y = r: relu(x)\noutput o = y", file: "dir/loc.net")
        #expect(g.nodes[1].location == SourceLocation(file: "dir/loc.net", line: 3, column: 10))
        #expect(g.name == "loc")
    }

    @Test func labeledBlocksAndRepeatsBuildTorchvisionNames() throws {
        let g = try graph("""
        block unit(x, c) {
          return conv1: conv(x, c, kernel: 1) -> bn1: batchnorm -> relu
        }
        block stage(x, c, n) {
          x = blocks: repeat n as i { unit(x, c + i) }
          return x
        }
        input x: 1x3x8x8
        x = stem: unit(x, 4)
        x = layer1: repeat 2 { unit(x, 4) }
        x = layer2: stage(x, 6, 2)
        x = unit(x, 5)
        output y = x
        """)
        let names = g.nodes.map(\.name).filter { !$0.isEmpty }
        #expect(names == ["x", "stem.conv1", "stem.bn1", "layer1.0.conv1", "layer1.0.bn1", "layer1.1.conv1",
                          "layer1.1.bn1", "layer2.blocks.0.conv1", "layer2.blocks.0.bn1", "layer2.blocks.1.conv1",
                          "layer2.blocks.1.bn1", "conv1", "bn1"])
        #expect(g.nodes.first { $0.name == "layer2.blocks.1.conv1" }?.shape == [1, 7, 8, 8])
    }

    @Test func expressionsAndControlFlow() throws {
        let g = try graph("""
        param a = 7
        param b = -2
        input x: [1, a / 2 + a % 3 + (a / b == -4 ? 1 : 0), 8, 8]   # 3 + 1 + 1 = 5
        if not (a > 5 and b < 0) or false {
          x = never: relu(x)
        }
        else if a <= 7 {
          w = x -> r: relu
        } else {
          w = x
        }
        output y = w
        """)
        #expect(g.nodes[0].shape == [1, 5, 8, 8])
        #expect(g.nodes.map(\.name) == ["x", "r"])
    }

    @Test func linesContinueInsideParenthesesAndAfterOperators() throws {
        let g = try graph("""
        param c = 2 +
          2
        input x: [1,
                  3,
                  8, 8]
        y = c1: conv(x,
                     c, kernel: 1) ->
            relu
        output y = y
        """)
        #expect(g.nodes[1].shape == [1, 4, 8, 8])
        #expect(g.nodes.count == 3)
    }

    @Test func shapeQueriesAndRepeatIndex() throws {
        let g = try graph("""
        input x: 2x3x8x6
        x = l: repeat 3 as i { c: conv(x, channels(x) + i, kernel: 1) }
        output y = fc: linear(flatten(x), batch(x) * height(x) * width(x))
        """)
        #expect(g.nodes.map(\.shape) == [[2, 3, 8, 6], [2, 3, 8, 6], [2, 4, 8, 6], [2, 6, 8, 6],
                                         [2, 288], [2, 96]])
        #expect(g.nodes.map(\.name).contains("l.2.c"))
    }

    @Test func variablesAssignedInIfAreVisibleAfterAndIndexDisappears() throws {
        #expect(throws: DSLError.self) {
            try graph("input x: 1x3x8x8\nx = repeat 2 as i { relu(x) }\noutput y = relu(x)\nz = i")
        }
        let g = try graph("input x: 1x3x8x8\nif true { t = relu(x) }\noutput y = t")
        #expect(g.outputs.count == 1)
    }

    @Test func defineAndBatchOverrideParamsAndInput() throws {
        let source = "param c = 3\ninput x: [1, c, 8, 8]\noutput y = relu(x)"
        let g = try graph(source, FrontendOptions(batch: 5, defines: ["c": 7]))
        #expect(g.nodes[0].shape == [5, 7, 8, 8])
    }

    @Test func crlfTabsAndCommentsAreWhitespace() throws {
        let g = try graph("# header\r\ninput x: 1x3x8x8   # shape\r\n\toutput y = relu(x)\t# done\r\n")
        #expect(g.nodes.count == 2)
    }
}
