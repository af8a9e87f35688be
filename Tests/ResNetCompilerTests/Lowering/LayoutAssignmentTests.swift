// Layout assignment (Lowering with blockedLayout): which values the plan stores nChw16c, on the
// ImageNet ResNets and on small networks that each exercise one demotion rule.
import ResNetCompiler
import ResNetRuntime
import Testing

@Suite("Layout assignment")
struct LayoutAssignmentTests {
    /// Compile options with blocking on (the default stays nchw until the blocked kernels land).
    static var blocked: CompileOptions {
        var options = CompileOptions()
        options.blockedLayout = true
        return options
    }

    /// `body` after a 16-channel 16×16 input, compiled with blocked layouts.
    static func plan(_ body: String, options: CompileOptions = blocked) throws -> Plan {
        let source = "input image: 1x16x16x16\ndefaults conv(bias: false)\n" + body
        return try Compiler.compile(source: source, fileName: "layout.net", options: options).lowered.plan
    }

    /// The step named `name`.
    static func step(_ plan: Plan, _ name: String) throws -> Step {
        try #require(plan.steps.first { $0.name == name }, "no step \(name) in \(plan.steps.map(\.name))")
    }

    /// Every plan of the compiler keeps the rules, the bindings are nchw and the metadata counts
    /// the blocked values.
    static func expectConsistent(_ plan: Plan, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        try PlanValidator.validate(plan)
        for step in plan.steps {
            #expect(LayoutRules.violation(in: step) == nil, "\(step.name)", sourceLocation: sourceLocation)
        }
        #expect((plan.inputs + plan.outputs).allSatisfy { $0.tensor.layout == .nchw }, sourceLocation: sourceLocation)
        let blocked = plan.steps.filter { $0.output.layout == .nChw16c }.count
        #expect(plan.metadata["blocked_tensors"] == String(blocked), sourceLocation: sourceLocation)
    }

    @Test("ResNet-18/50: every conv output is blocked, inputs, outputs and the pooled vector are nchw",
          arguments: ["resnet18.net", "resnet50.net"])
    func imageNetResNets(file: String) throws {
        let plan = try Compiler.compile(path: Repository.path("Graphs/" + file), options: Self.blocked).lowered.plan
        try Self.expectConsistent(plan)
        var convs = 0
        for step in plan.steps {
            switch step.op {
            case .conv2d:
                convs += 1
                #expect(step.output.layout == .nChw16c, "\(step.name)")
                #expect(step.inputs.dropFirst().allSatisfy { $0.layout == .nChw16c }, "\(step.name) residual")
            case .maxPool:
                #expect(step.output.layout == .nChw16c && step.inputs[0].layout == .nChw16c)
            case .globalAvgPool:
                #expect(step.inputs[0].layout == .nChw16c && step.output.layout == .nchw)
            default:
                #expect(step.output.layout == .nchw, "\(step.name)")
            }
        }
        #expect(convs == (file == "resnet50.net" ? 53 : 20))
        #expect(plan.steps[0].inputs[0].layout == .nchw, "the stem reads the nchw image")
    }

    @Test("option-A networks: every conv writes blocked, option-A residuals included",
          arguments: ["cifar_resnet20.net", "resnet34_option_a.net"])
    func optionA(file: String) throws {
        let plan = try Compiler.compile(path: Repository.path("Graphs/" + file), options: Self.blocked).lowered.plan
        try Self.expectConsistent(plan)
        // A blocked conv makes its option-A residual blocked before it runs, so the shortcut no
        // longer demotes its stage (before: no tensor blocked, 1.3-1.6x ONNX Runtime's time on
        // CIFAR ResNet-20).
        var optionA = 0
        for step in plan.steps {
            guard case .conv2d = step.op else { continue }
            #expect(step.output.layout == .nChw16c, "\(step.name)")
            #expect(step.inputs.dropFirst().allSatisfy { $0.layout == .nChw16c }, "\(step.name) residual")
            if case .shortcutA = step.epilogue.residual { optionA += 1 }
        }
        #expect(optionA == (file == "cifar_resnet20.net" ? 2 : 3))
        #expect(plan.steps[0].inputs[0].layout == .nchw, "the stem reads the nchw image")
    }

    @Test("depthwise-separable ResNet-18: every conv output is blocked, the depthwise ones included")
    func depthwise() throws {
        let plan = try Compiler.compile(path: Repository.path("Graphs/resnet18_dws_silu.net"), options: Self.blocked).lowered.plan
        try Self.expectConsistent(plan)
        var depthwise = 0
        for step in plan.steps {
            guard case .conv2d(let p) = step.op else { continue }
            #expect(step.output.layout == .nChw16c, "\(step.name)")
            if p.groups > 1 {
                depthwise += 1
                #expect(LayoutRules.isBlockedDepthwise(step, p) && step.inputs[0].layout == .nChw16c, "\(step.name)")
            }
        }
        #expect(depthwise == 16)
    }

    @Test("blocking off (the default for now): every tensor nchw, no blocked_tensors entry")
    func off() throws {
        var options = CompileOptions()
        options.blockedLayout = false
        let plan = try Self.plan("x = c: conv(image, 16, kernel: 3, pad: 1)\noutput y = fc: linear(flatten(global_avgpool(x)), 4)",
                                 options: options)
        #expect(plan.steps.allSatisfy { ([$0.output] + $0.inputs).allSatisfy { $0.layout == .nchw } })
        #expect(plan.metadata["blocked_tensors"] == nil)
        #expect(LoweringOptions().blockedLayout == LoweringOptions.blockedLayoutByDefault)
        #expect(CompileOptions().blockedLayout == LoweringOptions.blockedLayoutByDefault)
    }

    @Test("24 channels stay nchw (pad-channels leaves them); the conv reading them may still write blocked")
    func oddChannels() throws {
        let plan = try Self.plan("""
            x = c1: conv(image, 24, kernel: 3, pad: 1) -> relu
            y = c2: conv(x, 16, kernel: 3, pad: 1) -> relu
            output logits = fc: linear(flatten(global_avgpool(y)), 10)
            """)
        try Self.expectConsistent(plan)
        #expect(try Self.step(plan, "c1").output.layout == .nchw)
        #expect(try Self.step(plan, "c1").output.shape[1] == 24)
        #expect(try Self.step(plan, "c1").inputs[0].layout == .nchw)
        #expect(try Self.step(plan, "c2").output.layout == .nChw16c)
        #expect(try Self.step(plan, "c2").inputs[0].layout == .nchw)
    }

    @Test("13 channels are padded to 16 by pad-channels, and then blocked")
    func paddedChannels() throws {
        let plan = try Self.plan("""
            x = c1: conv(image, 13, kernel: 3, pad: 1) -> relu
            y = c2: conv(x, 16, kernel: 3, pad: 1) -> relu
            output logits = fc: linear(flatten(global_avgpool(y)), 10)
            """)
        try Self.expectConsistent(plan)
        #expect(try Self.step(plan, "c1").output.shape[1] == 16)
        #expect(try Self.step(plan, "c1").output.layout == .nChw16c)
        #expect(try Self.step(plan, "c2").inputs[0].layout == .nChw16c)
        // Under --layout nchw nothing would be blocked, so the compiler does not pad.
        var nchw = CompileOptions()
        nchw.blockedLayout = false
        let unpadded = try Self.plan("""
            x = c1: conv(image, 13, kernel: 3, pad: 1) -> relu
            output logits = fc: linear(flatten(global_avgpool(x)), 10)
            """, options: nchw)
        #expect(try Self.step(unpadded, "c1").output.shape[1] == 13)
    }

    @Test("a value flatten aliases is nchw, and so is the conv input feeding an nchw conv")
    func flattenAlias() throws {
        let plan = try Self.plan("""
            x = c1: conv(image, 16, kernel: 3, pad: 1) -> relu
            y = c2: conv(x, 16, kernel: 3, stride: 4, pad: 1) -> relu
            output logits = fc: linear(flatten(y), 10)
            """)
        try Self.expectConsistent(plan)
        #expect(try Self.step(plan, "c2").output.layout == .nchw)
        #expect(try Self.step(plan, "c1").output.layout == .nchw)
        #expect(plan.metadata["blocked_tensors"] == "0")
    }

    @Test("a conv with an option-A residual writes blocked; an add with one stays nchw")
    func shortcutA() throws {
        let plan = try Self.plan("""
            x = c1: conv(image, 16, kernel: 3, pad: 1) -> relu
            y = c2: conv(x, 32, kernel: 3, stride: 2, pad: 1)
            z = relu(y + shortcut_a(x, 32, stride: 2))
            w = c3: conv(z, 32, kernel: 3, pad: 1) -> relu
            output logits = fc: linear(flatten(global_avgpool(w)), 10)
            """)
        try Self.expectConsistent(plan)
        let c2 = try Self.step(plan, "c2")
        guard case .shortcutA = c2.epilogue.residual else {
            Issue.record("the add was not fused into c2 as an option-A residual: \(plan.steps.map(\.name))")
            return
        }
        #expect(c2.output.layout == .nChw16c)
        #expect(c2.inputs.allSatisfy { $0.layout == .nChw16c })
        #expect(try Self.step(plan, "c1").output.layout == .nChw16c)
        #expect(try Self.step(plan, "c3").output.layout == .nChw16c)

        // The sum of a max pool and an option-A shortcut: the add (not a conv) keeps the
        // residual nchw, and with it its other operand.
        let pooled = try Self.plan("""
            x = c1: conv(image, 16, kernel: 3, pad: 1) -> relu
            p = maxpool(x, kernel: 2, stride: 2)
            s = p + shortcut_a(x, 16, stride: 2)
            output logits = fc: linear(flatten(global_avgpool(s)), 10)
            """)
        try Self.expectConsistent(pooled)
        for step in pooled.steps where step.epilogue.residual != nil {
            if case .shortcutA = step.epilogue.residual { #expect(step.output.layout == .nchw, "\(step.name)") }
        }
    }

    @Test("a conv that is a model output writes nchw; it reads its input blocked, so the convs before it stay blocked")
    func modelOutput() throws {
        let plan = try Self.plan("""
            x = c1: conv(image, 16, kernel: 3, pad: 1) -> relu
            y = c2: conv(x, 32, kernel: 3, pad: 1) -> relu
            output features = c3: conv(y, 32, kernel: 1)
            output logits = fc: linear(flatten(global_avgpool(y)), 10)
            """)
        try Self.expectConsistent(plan)
        #expect(try Self.step(plan, "c3").output.layout == .nchw)
        #expect(try Self.step(plan, "c3").inputs[0].layout == .nChw16c)
        #expect(try Self.step(plan, "c2").output.layout == .nChw16c)
        #expect(try Self.step(plan, "c1").output.layout == .nChw16c)
    }

    @Test("a grouped conv writes nchw and so reads nchw")
    func groups() throws {
        let plan = try Self.plan("""
            x = c1: conv(image, 16, kernel: 3, pad: 1) -> relu
            g = c2: conv(x, 16, kernel: 3, pad: 1, groups: 4) -> relu
            h = c3: conv(g, 16, kernel: 3, pad: 1) -> relu
            output logits = fc: linear(flatten(global_avgpool(h)), 10)
            """)
        try Self.expectConsistent(plan)
        #expect(try Self.step(plan, "c2").output.layout == .nchw)
        #expect(try Self.step(plan, "c1").output.layout == .nchw)
        #expect(try Self.step(plan, "c3").output.layout == .nChw16c)
    }

    @Test("max pooling keeps its input's layout: an nchw reader of its output demotes the conv before it")
    func maxPool() throws {
        let body = { (pool: String) in """
            x = c1: conv(image, 16, kernel: 3, pad: 1) -> relu
            p = maxpool(x, kernel: 2, stride: 2)
            h = c2: conv(p, 16, kernel: 3, pad: 1)
            r = relu(h + p)
            output logits = fc: linear(flatten(\(pool)), 10)
            """ }
        let kept = try Self.plan(body("global_avgpool(r)"))
        try Self.expectConsistent(kept)
        let poolStep = { (plan: Plan) in plan.steps.first { if case .maxPool = $0.op { true } else { false } } }
        #expect(try Self.step(kept, "c1").output.layout == .nChw16c)
        #expect(poolStep(kept)?.output.layout == .nChw16c)
        #expect(try Self.step(kept, "c2").inputs.allSatisfy { $0.layout == .nChw16c }, "input and residual")

        let demoted = try Self.plan(body("avgpool(r, kernel: 2, stride: 2)"))
        try Self.expectConsistent(demoted)
        #expect(poolStep(demoted)?.inputs[0].layout == .nchw)
        #expect(demoted.metadata["blocked_tensors"] == "0", "avgpool is nchw only: c2, the pool and c1 follow")
    }

    @Test("add and activation steps share one layout (no fusion, -O0)")
    func elementwise() throws {
        var options = Self.blocked
        options.passes = []
        let body = { (pool: String) in """
            x = c1: conv(image, 16, kernel: 3, pad: 1)
            y = relu(x)
            z = c2: conv(y, 16, kernel: 3, pad: 1)
            a = relu(z + y)
            output logits = fc: linear(flatten(\(pool)), 10)
            """ }
        let kept = try Self.plan(body("global_avgpool(a)"), options: options)
        try Self.expectConsistent(kept)
        #expect(kept.steps.filter { $0.output.layout == .nChw16c }.count == 5, "c1, relu, c2, add, relu")
        let demoted = try Self.plan(body("avgpool(a, kernel: 16, stride: 16)"), options: options)
        try Self.expectConsistent(demoted)
        #expect(demoted.metadata["blocked_tensors"] == "0", "avgpool is nchw only, and the demotion reaches c1")
    }

    @Test("a pointwise conv the planner writes over its own blocked input stays in place and blocked")
    func pointwiseInPlace() throws {
        let body = """
            x = c1: conv(image, 32, kernel: 3, pad: 1) -> relu
            y = c2: conv(x, 16, kernel: 1) -> relu
            z = c3: conv(y, 16, kernel: 3, pad: 1) -> relu
            output logits = fc: linear(flatten(global_avgpool(z)), 10)
            """
        var nchw = Self.blocked
        nchw.blockedLayout = false
        #expect(PlanValidator.isPointwisePrefix(try Self.step(try Self.plan(body, options: nchw), "c2")),
                "without blocking the planner writes c2 over its input")
        let plan = try Self.plan(body)
        try Self.expectConsistent(plan)
        let c2 = try Self.step(plan, "c2")
        #expect(PlanValidator.isPointwisePrefix(c2), "the blocked in-place kernel keeps the smaller arena")
        #expect(c2.output.layout == .nChw16c && c2.inputs[0].layout == .nChw16c)
        #expect(plan.metadata["blocked_tensors"] == "3")
    }
}
