// Conv, MaxPool, AveragePool and Pad: ONNX's per-axis window attributes checked to be square and
// symmetric (what the IR expresses), with a zero Pad before a conv or pool folded into it.
import ResNetRuntime

/// A 2-D window reduced to the IR's single kernel/stride/padding/dilation.
struct ONNXWindow {
    var kernel: Int
    var stride: Int
    var padding: Int
    var dilation: Int
}

extension ONNXGraphBuilder {
    /// Reads `kernel_shape`, `strides`, `pads`, `dilations` and `auto_pad` (NOTSET or VALID),
    /// with `kernel` the weight's spatial size when the attribute is absent.
    func window(_ node: ONNXNode, kernel weightKernel: [Int]? = nil) throws(ONNXError) -> ONNXWindow {
        if let autoPad = node.attribute("auto_pad")?.string.map({ String(decoding: $0, as: UTF8.self) }),
           autoPad != "NOTSET", autoPad != "VALID" {
            throw ONNXError.node(file, node, "auto_pad \(autoPad) is not supported; export with explicit pads")
        }
        guard let kernel = intsAttribute(node, "kernel_shape") ?? weightKernel, kernel.count == 2 else {
            throw ONNXError.node(file, node, "only 2-D windows are supported (kernel_shape must have 2 values)")
        }
        let strides = intsAttribute(node, "strides") ?? [1, 1]
        let dilations = intsAttribute(node, "dilations") ?? [1, 1]
        let pads = intsAttribute(node, "pads") ?? [0, 0, 0, 0]
        guard kernel[0] == kernel[1] else { throw ONNXError.node(file, node, "kernel \(kernel[0])x\(kernel[1]) is not square") }
        guard strides.count == 2, strides[0] == strides[1] else { throw ONNXError.node(file, node, "strides \(strides) differ") }
        guard dilations.count == 2, dilations[0] == dilations[1] else { throw ONNXError.node(file, node, "dilations \(dilations) differ") }
        guard pads.count == 4, Set(pads).count == 1 else {
            throw ONNXError.node(file, node, "pads \(pads) are not the same on every side")
        }
        let window = ONNXWindow(kernel: kernel[0], stride: strides[0], padding: pads[0], dilation: dilations[0])
        try checkRange([window.kernel, window.stride, window.dilation], 1, node, "kernel, stride and dilation")
        try checkRange([window.padding], 0, node, "pads")
        return window
    }

    /// The same bounds the `.net` frontend puts on integer arguments: `low ... 2^24`.
    func checkRange(_ values: [Int], _ low: Int, _ node: ONNXNode, _ what: String) throws(ONNXError) {
        guard values.allSatisfy({ $0 >= low && $0 <= ONNXGraphBuilder.maxInteger }) else {
            throw ONNXError.node(file, node, "\(what) \(values) must be between \(low) and \(ONNXGraphBuilder.maxInteger)")
        }
    }

    /// The IR input of a conv or pool, and the zero padding of a Pad folded into it.
    mutating func paddedInput(_ node: ONNXNode) throws(ONNXError) -> (Int, Int) {
        if case .padded(let id, let pad, _) = try value(node, 0) { return (id, pad) }
        return (try tensorInput(node, 0), 0)
    }

    mutating func conv(_ node: ONNXNode) throws(ONNXError) {
        let (x, extra) = try paddedInput(node)
        let (weight, weightName) = try weightInput(node, 1)
        guard weight.shape.count == 4 else {
            throw ONNXError.node(file, node, "weight '\(weightName)' has shape \(weight.shape.shapeDescription); only 2-D convolutions are supported")
        }
        var w = try window(node, kernel: Array(weight.shape[2...]))
        w.padding += extra
        try checkRange([weight.shape[0], intAttribute(node, "group", 1)], 1, node, "output channels and group")
        var params = ["weight": weight]
        if hasInput(node, 2) { params["bias"] = try weightInput(node, 2).0 }
        let attributes = ConvAttributes(outChannels: weight.shape[0], kernel: w.kernel, stride: w.stride, padding: w.padding,
                                        dilation: w.dilation, groups: intAttribute(node, "group", 1), hasBias: params["bias"] != nil)
        let name = names.layerName(node: node, weight: weightName, kind: "conv")
        try define(node, .node(try add(.conv(attributes), inputs: [x], name: name, params: params, for: node)))
    }

    mutating func maxPool(_ node: ONNXNode) throws(ONNXError) {
        guard node.outputs.count == 1 else { throw ONNXError.node(file, node, "the Indices output is not supported") }
        let w = try window(node)
        guard w.dilation == 1 else { throw ONNXError.node(file, node, "dilated pooling is not supported") }
        let params = PoolParams(kernel: w.kernel, stride: w.stride, padding: w.padding,
                                ceilMode: intAttribute(node, "ceil_mode", 0) != 0)
        try define(node, .node(try add(.maxPool(params), inputs: [try tensorInput(node, 0)], for: node)))
    }

    /// AveragePool; a zero Pad before it counts its zeros, so it folds only as count_include_pad.
    mutating func averagePool(_ node: ONNXNode) throws(ONNXError) {
        let (x, extra) = try paddedInput(node)
        let w = try window(node)
        guard w.dilation == 1 else { throw ONNXError.node(file, node, "dilated pooling is not supported") }
        var params = PoolParams(kernel: w.kernel, stride: w.stride, padding: w.padding,
                                ceilMode: intAttribute(node, "ceil_mode", 0) != 0,
                                countIncludePad: intAttribute(node, "count_include_pad", 0) != 0)
        if extra > 0 {
            guard !params.ceilMode, params.countIncludePad || params.padding == 0 else {
                throw ONNXError.node(file, node, "a zero Pad before an AveragePool with ceil_mode or count_include_pad=0 cannot be folded")
            }
            params.padding += extra
            params.countIncludePad = true
        }
        try define(node, .node(try add(.avgPool(params), inputs: [x], for: node)))
    }

    /// Pad: constant mode, value 0, the same amount on all four spatial sides, none on N or C.
    mutating func pad(_ node: ONNXNode) throws(ONNXError) {
        let x = try tensorInput(node, 0)
        let mode = node.attribute("mode")?.string.map { String(decoding: $0, as: UTF8.self) } ?? "constant"
        guard mode == "constant" else { throw ONNXError.node(file, node, "mode '\(mode)' is not supported (only zero padding)") }
        var pads: [Int]
        var value = 0.0
        if opset < 11 {
            pads = intsAttribute(node, "pads") ?? []
            value = Double(node.attribute("value")?.float ?? 0)
        } else {
            pads = try constantInput(node, 1).ints
            if hasInput(node, 2) { value = try constantInput(node, 2).values.first ?? 0 }
        }
        let rank = shape(x).count
        if hasInput(node, 3) {
            let axes = try constantInput(node, 3).ints.map { $0 < 0 ? $0 + rank : $0 }
            guard pads.count == 2 * axes.count, axes.allSatisfy({ $0 >= 0 && $0 < rank }) else {
                throw ONNXError.node(file, node, "pads \(pads) do not match axes \(axes)")
            }
            var full = [Int](repeating: 0, count: 2 * rank)
            for (k, axis) in axes.enumerated() { (full[axis], full[axis + rank]) = (pads[k], pads[k + axes.count]) }
            pads = full
        }
        guard value == 0 else { throw ONNXError.node(file, node, "padding value \(value) is not supported (only 0)") }
        guard rank == 4, pads.count == 8, pads[0] == 0, pads[1] == 0, pads[4] == 0, pads[5] == 0,
              Set([pads[2], pads[3], pads[6], pads[7]]).count == 1, pads[2] >= 0, pads[2] <= ONNXGraphBuilder.maxInteger else {
            throw ONNXError.node(file, node, "pads \(pads) are not supported (only the same zero padding on all four sides of H and W)")
        }
        try define(node, pads[2] == 0 ? .node(x) : .padded(x, pad: pads[2], by: node))
    }
}
