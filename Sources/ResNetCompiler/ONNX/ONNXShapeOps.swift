// The ONNX ops that reshape or pass values through (GlobalAveragePool, Flatten, Reshape to
// [N, -1], Softmax, Dropout, Identity) and the constant ops, folded at import.
import ResNetRuntime

extension ONNXGraphBuilder {
    mutating func globalAveragePool(_ node: ONNXNode) throws(ONNXError) {
        try define(node, .node(try add(.globalAvgPool, inputs: [try tensorInput(node, 0)], for: node)))
    }

    /// Flatten at axis 1 (the IR's flatten); on a 2-D input it changes nothing.
    mutating func flatten(_ node: ONNXNode) throws(ONNXError) {
        let x = try tensorInput(node, 0)
        let rank = shape(x).count
        let axis = intAttribute(node, "axis", 1)
        guard axis == 1 || axis == 1 - rank else { throw ONNXError.node(file, node, "axis \(axis) is not supported (only 1)") }
        try define(node, .node(rank == 2 ? x : try add(.flatten, inputs: [x], for: node)))
    }

    /// Reshape to a constant shape that keeps the batch and flattens the rest (`[N, -1]`).
    mutating func reshape(_ node: ONNXNode) throws(ONNXError) {
        if case .constant = try value(node, 0) { return try foldConstant(node) }
        let x = try tensorInput(node, 0)
        let target = try reshapeTarget(shape(x), try constantInput(node, 1).ints, allowZero: intAttribute(node, "allowzero", 0) != 0, node)
        let input = shape(x)
        if target == input { return try define(node, .node(x)) }
        guard input.count >= 2, target == [input[0], input[1...].reduce(1, *)] else {
            throw ONNXError.node(file, node, "reshape of \(input.shapeDescription) to \(target.shapeDescription) is not supported (only to [N, -1])")
        }
        try define(node, .node(try add(.flatten, inputs: [x], for: node)))
    }

    /// ONNX's Reshape rule: 0 copies the input dimension (unless allowzero), one -1 is inferred.
    func reshapeTarget(_ input: [Int], _ requested: [Int], allowZero: Bool, _ node: ONNXNode) throws(ONNXError) -> [Int] {
        var dims = requested
        for (i, d) in dims.enumerated() where d == 0 && !allowZero {
            guard i < input.count else { throw ONNXError.node(file, node, "shape \(requested) copies a dimension the input lacks") }
            dims[i] = input[i]
        }
        let total = input.reduce(1, *)
        let known = dims.filter { $0 != -1 }.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? -1 : $0 * $1 }
        let inferred = dims.filter { $0 == -1 }.count
        guard inferred <= 1, dims.allSatisfy({ $0 >= -1 }), known > 0 || (known == 0 && total == 0) else {
            throw ONNXError.node(file, node, "shape \(requested) is not a valid reshape of \(input.shapeDescription)")
        }
        if inferred == 1 {
            guard total % known == 0 else { throw ONNXError.node(file, node, "shape \(requested) does not divide \(input.shapeDescription)") }
            dims[dims.firstIndex(of: -1)!] = total / known
        }
        guard dims.reduce(1, *) == total else {
            throw ONNXError.node(file, node, "shape \(requested) has a different element count than \(input.shapeDescription)")
        }
        return dims
    }

    /// Softmax over the last axis of a 2-D input (the IR's softmax).
    mutating func softmax(_ node: ONNXNode) throws(ONNXError) {
        let x = try tensorInput(node, 0)
        let rank = shape(x).count
        let axis = intAttribute(node, "axis", opset < 13 ? 1 : -1)
        guard rank == 2, axis == 1 || axis == -1 else {
            throw ONNXError.node(file, node, "only softmax over the last axis of [N, C] is supported (input \(shape(x).shapeDescription), axis \(axis))")
        }
        try define(node, .node(try add(.softmax, inputs: [x], for: node)))
    }

    /// Dropout is the identity at inference; its ratio is kept so the .net reads like the model.
    mutating func dropout(_ node: ONNXNode) throws(ONNXError) {
        let x = try tensorInput(node, 0)
        var ratio = decimal(node.attribute("ratio")?.float ?? 0.5)
        if opset >= 12, hasInput(node, 1) { ratio = decimal(Float(try constantInput(node, 1).values.first ?? 0.5)) }
        if hasInput(node, 2), try constantInput(node, 2).values.first ?? 0 != 0 {
            throw ONNXError.node(file, node, "training_mode is not supported")
        }
        guard ratio >= 0, ratio <= 1 else { throw ONNXError.node(file, node, "ratio \(ratio) is outside 0…1") }
        try define(node, .node(try add(.dropout(p: ratio), inputs: [x], for: node)))
    }

    mutating func identity(_ node: ONNXNode) throws(ONNXError) {
        try define(node, try value(node, 0))
    }

    /// Constant and the folding ops, on constant inputs (Shape also on computed tensors).
    mutating func foldConstant(_ node: ONNXNode) throws(ONNXError) {
        let result: ONNXConstantFolding.Folded
        switch node.opType {
        case "Constant":
            return try define(node, .constant(try constantAttribute(node)))
        case "Shape":
            switch try value(node, 0) {
            case .node(let x), .sigmoid(let x, _): result = ONNXConstantFolding.shape(of: shape(x), node: node)
            case .padded(let x, let pad, _):
                result = ONNXConstantFolding.shape(of: shape(x).enumerated().map { $0.offset >= 2 ? $0.element + 2 * pad : $0.element }, node: node)
            case .matMul(let x, let weight, _, _): result = ONNXConstantFolding.shape(of: [shape(x)[0], weight.shape[0]], node: node)
            case .constant: result = ONNXConstantFolding.shape(of: try constantInput(node, 0).shape, node: node)
            }
        case "ConstantOfShape":
            let fill = try node.attribute("value")?.tensor.map { (t: ONNXTensor) throws(ONNXError) in
                try tensorValues(t, node).first ?? 0 } ?? 0
            result = ONNXConstantFolding.constantOfShape(try constantInput(node, 0), value: fill)
        case "Gather":
            result = ONNXConstantFolding.gather(try constantInput(node, 0), try constantInput(node, 1), axis: intAttribute(node, "axis", 0))
        case "Unsqueeze", "Squeeze":
            let axes = opset >= 13 ? (hasInput(node, 1) ? try constantInput(node, 1).ints : nil) : intsAttribute(node, "axes")
            let data = try constantInput(node, 0)
            result = node.opType == "Squeeze" ? ONNXConstantFolding.squeeze(data, axes: axes)
                : ONNXConstantFolding.unsqueeze(data, axes: axes ?? [])
        case "Concat":
            var parts: [ONNXConstant] = []
            for i in node.inputs.indices where hasInput(node, i) { parts.append(try constantInput(node, i)) }
            result = ONNXConstantFolding.concat(parts, axis: intAttribute(node, "axis", 0))
        case "Transpose":
            result = ONNXConstantFolding.transpose(try constantInput(node, 0), perm: intsAttribute(node, "perm"))
        case "Cast":
            result = ONNXConstantFolding.cast(try constantInput(node, 0), to: intAttribute(node, "to", 1))
        case "Reshape":
            let data = try constantInput(node, 0)
            let dims = try reshapeTarget(data.shape, try constantInput(node, 1).ints, allowZero: intAttribute(node, "allowzero", 0) != 0, node)
            result = .success(ONNXConstant(shape: dims, values: data.values))
        default: // Slice
            let axes = hasInput(node, 3) ? try constantInput(node, 3).ints : nil
            let steps = hasInput(node, 4) ? try constantInput(node, 4).ints : nil
            result = ONNXConstantFolding.slice(try constantInput(node, 0), starts: try constantInput(node, 1).ints,
                                               ends: try constantInput(node, 2).ints, axes: axes, steps: steps)
        }
        switch result {
        case .success(let constant): try define(node, .constant(.folded(constant)))
        case .failure(let error): throw ONNXError.node(file, node, error.reason)
        }
    }

    /// A Constant node's value: `value` (a tensor) or `value_float(s)` / `value_int(s)`.
    private func constantAttribute(_ node: ONNXNode) throws(ONNXError) -> ONNXConstantSource {
        if let tensor = node.attribute("value")?.tensor { return .tensor(tensor) }
        if let f = node.attribute("value_float")?.float { return .folded(ONNXConstant(shape: [], values: [Double(f)])) }
        if let i = node.attribute("value_int")?.int { return .folded(ONNXConstant(shape: [], values: [Double(i)])) }
        if let list = node.attribute("value_floats") { return .folded(ONNXConstant(shape: [list.floats.count], values: list.floats.map(Double.init))) }
        if let list = node.attribute("value_ints") { return .folded(ONNXConstant(shape: [list.ints.count], values: list.ints.map(Double.init))) }
        throw ONNXError.node(file, node, "has no value attribute resnetc can read (value, value_float(s), value_int(s))")
    }

    private func tensorValues(_ tensor: ONNXTensor, _ node: ONNXNode) throws(ONNXError) -> [Double] {
        switch ONNXTensorDecoder.doubles(tensor) {
        case .success(let v): return v
        case .failure(let e): throw ONNXError.node(file, node, "value \(e.reason)")
        }
    }
}
