// Built-in op calls: defaults and type checks, layer naming (prefix + label, unique), and
// turning the arguments into an IR `Op` appended to the graph.
import ResNetRuntime

extension Elaborator {
    /// Calls a built-in op; adds its IR node.
    mutating func callOp(_ signature: OpSignature, label: Label?, _ arguments: [Argument], _ values: [Value],
                         at location: SourceLocation) -> Value {
        let opName = signature.name
        if signature.hasWeights && label == nil {
            sink.error("\(opName) has parameters and needs a name, e.g. '\(opName)1: \(opName)(...)'", at: location)
            return .poison
        }
        let names = signature.parameters.map(\.name)
        guard let bound = bind(arguments, values, to: names, callee: opName, at: location) else { return .poison }
        var args: [String: Value] = [:]
        var failed = false
        for parameter in signature.parameters {
            if let given = bound[parameter.name] {
                if given.value.isPoison {
                    failed = true
                } else if !parameter.type.accepts(given.value) {
                    sink.error("\(opName) argument '\(parameter.name)' must be \(parameter.type.withArticle), "
                        + "found \(given.value.typeName)", at: given.location)
                    failed = true
                }
                args[parameter.name] = given.value
            } else if let value = opDefaults[opName]?[parameter.name] {
                args[parameter.name] = value
            } else if let defaultValue = parameter.defaultValue {
                switch defaultValue {
                case .value(let v): args[parameter.name] = v
                case .sameAs(let other): args[parameter.name] = args[other] ?? .poison
                }
            } else {
                sink.error("\(opName) is missing argument '\(parameter.name)'", at: location)
                failed = true
            }
        }
        for parameter in signature.parameters where parameter.type == .int {
            if case .int(let v)? = args[parameter.name], abs(v) > Self.maxIntArgument {
                sink.error("\(opName) argument '\(parameter.name)' is out of range: \(v) (limit \(Self.maxIntArgument))",
                           at: bound[parameter.name]?.location ?? location)
                failed = true
            }
        }
        if failed { return .poison }
        let inputs = signature.parameters.filter { $0.type == .tensor }.compactMap { p -> Int? in
            if case .tensor(let id) = args[p.name] { return id }
            return nil
        }
        guard let op = makeOp(opName, args, at: location) else { return .poison }
        var name = ""
        if let label {
            name = prefix + label.path
            if let first = layerNames[name] {
                sink.error("layer name '\(name)' is used twice", at: label.location,
                           notes: [.note("first used here", at: first)])
                return .poison
            }
            layerNames[name] = label.location
        }
        let description = name.isEmpty ? opName : "\(opName) '\(name)'"
        return addNode(op, inputs: inputs, name: name, description: description, at: location)
    }

    private static func int(_ v: Value?) -> Int { if case .int(let i)? = v { return i } else { return 0 } }
    private static func bool(_ v: Value?) -> Bool { if case .bool(let b)? = v { return b } else { return false } }
    private static func double(_ v: Value?) -> Double {
        switch v {
        case .int(let i)?: return Double(i)
        case .float(let f)?: return f
        default: return 0
        }
    }

    /// The IR op for a built-in call with fully bound, type-checked arguments.
    private mutating func makeOp(_ opName: String, _ a: [String: Value], at location: SourceLocation) -> Op? {
        let i = { (name: String) in Self.int(a[name]) }
        switch opName {
        case "conv":
            return .conv(ConvAttributes(outChannels: i("out"), kernel: i("kernel"), stride: i("stride"),
                                        padding: i("pad"), dilation: i("dilation"), groups: i("groups"),
                                        hasBias: Self.bool(a["bias"])))
        case "batchnorm":
            let eps = Self.double(a["eps"])
            guard eps > 0 else {
                sink.error("batchnorm eps must be > 0, found \(eps)", at: location)
                return nil
            }
            return .batchNorm(eps: eps)
        case "relu": return .activation(.relu)
        case "relu6": return .activation(.relu6)
        case "sigmoid": return .activation(.sigmoid)
        case "silu": return .activation(.silu)
        case "leaky_relu": return .activation(.leakyRelu(slope: Float(Self.double(a["slope"]))))
        case "maxpool", "avgpool":
            let pool = PoolParams(kernel: i("kernel"), stride: i("stride"), padding: i("pad"),
                                  ceilMode: Self.bool(a["ceil"]),
                                  countIncludePad: a["count_include_pad"].map { Self.bool($0) } ?? true)
            return opName == "maxpool" ? .maxPool(pool) : .avgPool(pool)
        case "global_avgpool": return .globalAvgPool
        case "flatten": return .flatten
        case "softmax": return .softmax
        case "dropout":
            let p = Self.double(a["p"])
            guard p >= 0, p <= 1 else {
                sink.error("dropout p must be between 0 and 1, found \(p)", at: location)
                return nil
            }
            return .dropout(p: p)
        case "linear": return .linear(LinearAttributes(outFeatures: i("out"), hasBias: Self.bool(a["bias"])))
        case "add": return .add
        default: return .shortcutA(outChannels: i("out"), stride: i("stride"))
        }
    }

    /// Appends a node; shape errors become "description: message" at the call.
    mutating func addNode(_ op: Op, inputs: [Int], name: String, description: String,
                          at location: SourceLocation) -> Value {
        guard graph.nodes.count < limits.maxNodes else {
            if !nodeLimitReported {
                sink.error("the network has more than \(limits.maxNodes) nodes", at: location)
                nodeLimitReported = true
            }
            return .poison
        }
        do {
            let id = try graph.add(op, inputs: inputs, name: name, location: location)
            guard checkElementCount(graph.nodes[id].shape, at: location) else { return .poison }
            // Weights are bounded like activations so later stages can count them safely.
            let weights = op.parameterShapes(inputs: inputs.map { graph.nodes[$0].shape })
            for weight in weights where !checkElementCount(weight.shape, at: location, what: "\(description) \(weight.name)") {
                return .poison
            }
            // Each weight is ≤ maxTensorElements, so this sum cannot overflow before it trips.
            parameterCount += weights.reduce(0) { $0 + $1.shape.reduce(1, *) }
            guard parameterCount <= limits.maxParameters else {
                if !parameterLimitReported {
                    sink.error("the network has more than \(FrontendLimits.describe(limits.maxParameters)) "
                               + "parameters", at: location)
                    parameterLimitReported = true
                }
                return .poison
            }
            return .tensor(id)
        } catch {
            // Shape rules name their op ("conv kernel 40 …"); the description already does.
            let prefix = op.mnemonic + " "
            let detail = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
            sink.error("\(description): \(detail)", at: location)
            return .poison
        }
    }

    /// `defaults op(name: value, …)`: later calls of `op` use these values when not given.
    mutating func setDefaults(_ opName: String, at location: SourceLocation, _ arguments: [Argument]) {
        guard let signature = OpCatalog.ops[opName] else {
            sink.error("unknown op '\(opName)'" + Suggestion.hint(for: opName, in: OpCatalog.ops.keys), at: location)
            return
        }
        let settable = signature.parameters.filter { $0.type != .tensor }
        for argument in arguments {
            let value = evaluate(argument.value)
            guard let name = argument.name, let nameLocation = argument.nameLocation else {
                sink.error("defaults takes only named arguments, e.g. 'defaults conv(bias: false)'",
                           at: argument.value.location)
                continue
            }
            guard let parameter = settable.first(where: { $0.name == name }) else {
                sink.error("\(opName) has no parameter '\(name)'" + Suggestion.hint(for: name, in: settable.map(\.name)),
                           at: nameLocation)
                continue
            }
            if value.isPoison { continue }
            guard parameter.type.accepts(value) else {
                sink.error("\(opName) argument '\(name)' must be \(parameter.type.withArticle), found \(value.typeName)",
                           at: argument.value.location)
                continue
            }
            opDefaults[opName, default: [:]][name] = value
        }
    }
}
