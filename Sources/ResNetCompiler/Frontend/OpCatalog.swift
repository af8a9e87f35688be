// The built-in ops of the DSL: parameter names, order, types and defaults.

/// How a parameter gets its value when not given.
enum ParameterDefault: Sendable {
    case value(Value)
    /// `stride = kernel` in pooling.
    case sameAs(String)
}

/// One parameter of a built-in op.
struct OpParameter: Sendable {
    var name: String
    var type: ValueType
    var defaultValue: ParameterDefault?
}

/// A built-in op's calling convention.
struct OpSignature: Sendable {
    var name: String
    var parameters: [OpParameter]
    /// Ops with weights must be labeled so their weights have names.
    var hasWeights: Bool
}

enum OpCatalog {
    private static func p(_ name: String, _ type: ValueType, _ value: Value? = nil) -> OpParameter {
        OpParameter(name: name, type: type, defaultValue: value.map { .value($0) })
    }

    private static func op(_ name: String, _ parameters: [OpParameter], weights: Bool = false) -> (String, OpSignature) {
        (name, OpSignature(name: name, parameters: parameters, hasWeights: weights))
    }

    private static let pool = [p("x", .tensor), p("kernel", .int),
                                OpParameter(name: "stride", type: .int, defaultValue: .sameAs("kernel")),
                                p("pad", .int, .int(0)), p("ceil", .bool, .bool(false))]

    /// Every op by its DSL name.
    static let ops: [String: OpSignature] = Dictionary(uniqueKeysWithValues: [
        op("conv", [p("x", .tensor), p("out", .int), p("kernel", .int), p("stride", .int, .int(1)),
                    p("pad", .int, .int(0)), p("dilation", .int, .int(1)), p("groups", .int, .int(1)),
                    p("bias", .bool, .bool(true))], weights: true),
        op("batchnorm", [p("x", .tensor), p("eps", .float, .float(1e-5))], weights: true),
        op("relu", [p("x", .tensor)]),
        op("relu6", [p("x", .tensor)]),
        op("sigmoid", [p("x", .tensor)]),
        op("silu", [p("x", .tensor)]),
        op("leaky_relu", [p("x", .tensor), p("slope", .float, .float(0.01))]),
        op("maxpool", pool),
        op("avgpool", pool + [p("count_include_pad", .bool, .bool(true))]),
        op("global_avgpool", [p("x", .tensor)]),
        op("flatten", [p("x", .tensor)]),
        op("softmax", [p("x", .tensor)]),
        op("dropout", [p("x", .tensor), p("p", .float, .float(0.5))]),
        op("linear", [p("x", .tensor), p("out", .int), p("bias", .bool, .bool(true))], weights: true),
        op("add", [p("a", .tensor), p("b", .tensor)]),
        op("shortcut_a", [p("x", .tensor), p("out", .int), p("stride", .int, .int(1))]),
    ])

    /// Shape queries: `channels(x)` etc. give an int, they are not layers.
    static let shapeQueries: [String: (axis: Int, needsImage: Bool)] = [
        "batch": (0, false), "channels": (1, false), "height": (2, true), "width": (3, true),
    ]
}
