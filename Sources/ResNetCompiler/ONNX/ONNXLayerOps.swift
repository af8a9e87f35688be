// BatchNormalization, Gemm, MatMul (+ Add bias), Add, Mul (SiLU) and the activations: the ONNX
// ops that become IR layers, with their weights renamed to torchvision's suffixes.
import ResNetRuntime

extension ONNXGraphBuilder {
    mutating func batchNorm(_ node: ONNXNode) throws(ONNXError) {
        if intAttribute(node, "training_mode", 0) != 0 { throw ONNXError.node(file, node, "training_mode is not supported") }
        let x = try tensorInput(node, 0)
        var params: [String: Tensor] = [:]
        var scaleName = ""
        for (index, key) in ["weight", "bias", "running_mean", "running_var"].enumerated() {
            let (tensor, name) = try weightInput(node, index + 1)
            params[key] = tensor
            if index == 0 { scaleName = name }
        }
        let eps = decimal(node.attribute("epsilon")?.float ?? 1e-5)
        guard eps > 0, eps.isFinite else { throw ONNXError.node(file, node, "epsilon \(eps) must be > 0") }
        let name = names.layerName(node: node, weight: scaleName, kind: "bn")
        try define(node, .node(try add(.batchNorm(eps: eps), inputs: [x], name: name, params: params, for: node)))
    }

    /// Gemm(A, B, C) = alpha·A·op(B) + beta·C with A `[N, F]` computed and B, C constants.
    mutating func gemm(_ node: ONNXNode) throws(ONNXError) {
        guard intAttribute(node, "transA", 0) == 0 else { throw ONNXError.node(file, node, "transA is not supported") }
        let x = try tensorInput(node, 0)
        var (weight, weightName) = try weightInput(node, 1)
        guard weight.shape.count == 2 else { throw ONNXError.node(file, node, "B must be 2-D, found \(weight.shape.shapeDescription)") }
        if intAttribute(node, "transB", 0) == 0 { weight = transposed(weight) }
        let alpha = node.attribute("alpha")?.float ?? 1, beta = node.attribute("beta")?.float ?? 1
        if alpha != 1 { weight.data = weight.data.map { $0 * alpha } }
        var params = ["weight": weight]
        if hasInput(node, 2) {
            var (bias, _) = try weightInput(node, 2)
            bias = try biasVector(bias, features: weight.shape[0], node)
            params["bias"] = Tensor(shape: bias.shape, data: bias.data.map { $0 * beta })
        }
        let name = names.layerName(node: node, weight: weightName, kind: "fc")
        let op = Op.linear(LinearAttributes(outFeatures: weight.shape[0], hasBias: params["bias"] != nil))
        try define(node, .node(try add(op, inputs: [x], name: name, params: params, for: node)))
    }

    /// MatMul(x, W) with W `[F, O]` constant: a linear layer, left open for an Add bias.
    mutating func matMul(_ node: ONNXNode) throws(ONNXError) {
        let x = try tensorInput(node, 0)
        let (weight, weightName) = try weightInput(node, 1)
        guard weight.shape.count == 2, shape(x).count == 2 else {
            throw ONNXError.node(file, node, "only [N, F] × [F, O] with a constant [F, O] is supported")
        }
        let name = names.layerName(node: node, weight: weightName, kind: "linear")
        try define(node, .matMul(of: x, weight: transposed(weight), name: name, by: node))
    }

    /// Add of two computed tensors (a residual), or of an open MatMul and a constant (its bias).
    mutating func add(_ node: ONNXNode) throws(ONNXError) {
        let a = try value(node, 0), b = try value(node, 1)
        for (k, (product, constant)) in [(a, b), (b, a)].enumerated() {
            guard case .matMul(let x, let weight, let name, _) = product, case .constant = constant else { continue }
            let bias = try biasVector(try weightInput(node, 1 - k), features: weight.shape[0], node)
            let op = Op.linear(LinearAttributes(outFeatures: weight.shape[0], hasBias: true))
            return try define(node, .node(try add(op, inputs: [x], name: name, params: ["weight": weight, "bias": bias], for: node)))
        }
        if case .constant = a { throw ONNXError.node(file, node, "adding a constant is only supported as the bias after a MatMul") }
        if case .constant = b { throw ONNXError.node(file, node, "adding a constant is only supported as the bias after a MatMul") }
        let lhs = try tensorInput(node, 0), rhs = try tensorInput(node, 1)
        try define(node, .node(try add(.add, inputs: [lhs, rhs], for: node)))
    }

    /// Mul: only `x * Sigmoid(x)` (in either order), which is SiLU.
    mutating func mul(_ node: ONNXNode) throws(ONNXError) {
        let a = try value(node, 0), b = try value(node, 1)
        for (gate, other) in [(a, b), (b, a)] {
            guard case .sigmoid(let x, _) = gate, case .node(let y) = other, x == y else { continue }
            return try define(node, .node(try add(.activation(.silu), inputs: [x], for: node)))
        }
        throw ONNXError.node(file, node, "only x * Sigmoid(x) (SiLU) is supported")
    }

    mutating func activation(_ node: ONNXNode, _ activation: Activation) throws(ONNXError) {
        let x = try tensorInput(node, 0)
        if activation == .sigmoid { return try define(node, .sigmoid(of: x, by: node)) }
        try define(node, .node(try add(.activation(activation), inputs: [x], for: node)))
    }

    /// A bias given as `[O]`, `[1, O]` or a scalar, as `[O]`.
    private func biasVector(_ bias: Tensor, features: Int, _ node: ONNXNode) throws(ONNXError) -> Tensor {
        if bias.count == 1 { return Tensor(shape: [features], data: Array(repeating: bias.data[0], count: features)) }
        guard bias.count == features, bias.shape.last == features else {
            throw ONNXError.node(file, node, "bias of shape \(bias.shape.shapeDescription) does not fit \(features) outputs")
        }
        return Tensor(shape: [features], data: bias.data)
    }

    private func biasVector(_ weight: (Tensor, String), features: Int, _ node: ONNXNode) throws(ONNXError) -> Tensor {
        try biasVector(weight.0, features: features, node)
    }

    /// A float32 attribute as the double its shortest decimal spelling denotes (1e-5, not
    /// 9.99999974e-06), so the `.net` literal the writer prints elaborates to the same value.
    func decimal(_ value: Float) -> Double { Double(value.description) ?? Double(value) }

    /// A 2-D tensor transposed.
    private func transposed(_ t: Tensor) -> Tensor {
        let (rows, cols) = (t.shape[0], t.shape[1])
        var data = [Float](repeating: 0, count: t.count)
        for r in 0..<rows { for c in 0..<cols { data[c * rows + r] = t.data[r * cols + c] } }
        return Tensor(shape: [cols, rows], data: data)
    }
}
