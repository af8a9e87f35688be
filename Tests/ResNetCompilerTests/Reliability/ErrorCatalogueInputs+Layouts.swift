// Inputs for the layout messages of Docs/Errors.md ("Model files"): a plan lowered with blocked
// layouts (one buffer per value, so no two tensors share memory), edited to break one rule each.
import Foundation
import ResNetCompiler
import ResNetRuntime

extension ErrorCatalogueInputs {
    /// conv1 → conv2 (+ conv1, fused) → pool → act → gap → fc, every 4-D value but gap's blocked.
    static func blockedModel() throws -> LoweredModel {
        let compilation = try Compiler.compile(source: """
            input image: 1x16x8x8
            defaults conv(bias: false)
            x = layer1.0.conv1: conv(image, 16, kernel: 3, pad: 1) -> relu
            y = layer1.0.conv2: conv(x, 16, kernel: 3, pad: 1)
            p = pool: maxpool(relu(y + x), kernel: 2, stride: 2)
            q = act: relu(p)
            g = gap: global_avgpool(q)
            output logits = fc: linear(flatten(g), 10)
            """, fileName: "m.net")
        return try Lowering.lower(compilation.graph, options: LoweringOptions(memory: .oneBufferPerValue, blockedLayout: true))
    }

    /// The error of loading the blocked model after `edit` ("" if it loads).
    static func blockedPlanError(_ edit: (inout Plan) -> Void) throws -> String {
        let lowered = try blockedModel()
        var plan = lowered.plan
        edit(&plan)
        return thrown { _ = try Model(plan: plan, weights: lowered.weights) }
    }

    /// The error of loading the blocked model after `edit` to the step named `name`.
    static func blockedPlanError(step name: String, _ edit: (inout Step) -> Void) throws -> String {
        try blockedPlanError { plan in
            if let index = plan.steps.firstIndex(where: { $0.name == name }) { edit(&plan.steps[index]) }
        }
    }

    /// The layout and tuning rows of "Model files".
    static let layoutInputs: [String: @Sendable () throws -> String] = [
        "invalid plan at 'input image': layout: expected nchw, found nChw16c (model inputs and outputs are nchw)": {
            try blockedPlanError { $0.inputs[0].tensor.layout = .nChw16c }
        },
        "invalid plan at 'gap': output layout nChw16c needs [N, C, H, W] with C a multiple of 16 and H·W > 1, found 1x16x1x1": {
            try blockedPlanError(step: "gap") { $0.output.layout = .nChw16c }
        },
        "invalid plan at 'layer1.0.conv1': output layout: expected nchw, found nChw16c (a grouped convolution writes nchw unless it is depthwise)": {
            try blockedPlanError(step: "layer1.0.conv1") {
                $0.op = .conv2d(Conv2DParams(kernel: 3, padding: 1, groups: 2, hasBias: false))
                $0.weights[0].count = 16 * 8 * 9
            }
        },
        "invalid plan at 'layer1.0.conv1': input 0 layout: expected nChw16c, found nchw (a blocked depthwise convolution reads blocked)": {
            try blockedPlanError(step: "layer1.0.conv1") {
                $0.op = .conv2d(Conv2DParams(kernel: 3, padding: 1, groups: 16, hasBias: false))
                $0.weights[0].count = 16 * 9
            }
        },
        "invalid plan at 'layer1.0.conv1': output layout: expected nchw, found nChw16c (the convolution writes over its own input)": {
            try blockedPlanError(step: "layer1.0.conv1") {
                $0.op = .conv2d(Conv2DParams(kernel: 1, hasBias: false))
                $0.weights[0].count = 16 * 16
                $0.output.offset = $0.inputs[0].offset
            }
        },
        "invalid plan at 'act': output layout: expected nchw, found nChw16c (an option-A residual needs nchw outside a convolution)": {
            try blockedPlanError(step: "act") {
                $0.inputs.append($0.inputs[0])
                $0.epilogue.residual = .shortcutA(stride: 1)
            }
        },
        "invalid plan at 'layer1.0.conv2': input 0 layout: expected nchw, found nChw16c (an nchw convolution reads nchw unless it has one group, output channels a multiple of 16 and its own output buffer)": {
            try blockedPlanError(step: "layer1.0.conv2") {
                if case .conv2d(var p) = $0.op { p.groups = 2; $0.op = .conv2d(p) }
                $0.weights[0].count /= 2
                $0.output.layout = .nchw
                $0.inputs[1].layout = .nchw
            }
        },
        "invalid plan at 'layer1.0.conv2': residual layout: expected nChw16c, found nchw (a residual has the output's layout)": {
            try blockedPlanError(step: "layer1.0.conv2") { $0.inputs[1].layout = .nchw }
        },
        "invalid plan at 'pool': input 0 layout: expected nChw16c, found nchw (max pooling keeps the layout)": {
            try blockedPlanError(step: "pool") { $0.inputs[0].layout = .nchw }
        },
        "invalid plan at 'act': input 0 layout: expected nchw, found nChw16c (elementwise operands share the output's layout)": {
            try blockedPlanError(step: "act") { $0.output.layout = .nchw }
        },
        "invalid plan at 'pool': input 0 layout: expected nchw, found nChw16c (this op is nchw only)": {
            try blockedPlanError(step: "pool") { $0.op = .avgPool(PoolParams(kernel: 2, stride: 2)) }
        },
        // The stored kernel choices (`resnetc tune`) the same section lists.
        "invalid plan at 'pool': a tuning applies only to convolutions": {
            try blockedPlanError(step: "pool") { $0.tuning = StepTuning(schedule: .direct) }
        },
        "invalid plan at 'layer1.0.conv2': tuned reduction slice of -1 bytes is outside 0...16777216": {
            try blockedPlanError(step: "layer1.0.conv2") { $0.tuning = StepTuning(splitSliceBytes: -1) }
        },
    ]
}
