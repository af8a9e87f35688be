// Elaborating `preprocess { … }` and `labels "file"`: every value checked where it is written,
// then, once the input and outputs are known, checked against their shapes.
import ResNetRuntime

/// What the image items of a file declared.
struct ImageItems {
    /// Where `preprocess` was declared (also for `preprocess none`).
    var preprocessLocation: SourceLocation?
    /// The recipe; nil for `preprocess none`, no `preprocess`, or after an error.
    var preprocess: Preprocessing?
    /// Where each setting was written, for the shape checks at the end.
    var settingLocations: [String: SourceLocation] = [:]
    var labelsLocation: SourceLocation?
    /// The names read from the labels file, and the file as resolved.
    var labels: [String]?
    var labelsPath: String?
    /// Remarks that are not errors (labels that do not fit a `--define`d class count).
    var notes: [String] = []
}

extension Elaborator {
    static let preprocessSteps = ["resize", "center_crop", "scale", "mean", "std"]

    mutating func declarePreprocess(_ settings: [PreprocessSetting]?, at location: SourceLocation) {
        if let first = imageItems.preprocessLocation {
            sink.error("'preprocess' is declared twice", at: location, notes: [.note("first declared here", at: first)])
            return
        }
        imageItems.preprocessLocation = location
        guard let settings else { return }
        var recipe = Preprocessing()
        var failed = false
        for setting in settings {
            guard Self.preprocessSteps.contains(setting.name) else {
                sink.error("unknown preprocessing step '\(setting.name)'" + Suggestion.hint(for: setting.name, in: Self.preprocessSteps)
                           + " (known: \(Self.preprocessSteps.joined(separator: ", ")))", at: setting.location)
                failed = true
                continue
            }
            if let first = imageItems.settingLocations[setting.name] {
                sink.error("preprocessing step '\(setting.name)' is given twice", at: setting.location,
                           notes: [.note("first given here", at: first)])
                failed = true
                continue
            }
            imageItems.settingLocations[setting.name] = setting.location
            if !apply(setting, to: &recipe) { failed = true }
        }
        if !failed { imageItems.preprocess = recipe }
    }

    /// Sets one step of `recipe`; false after reporting an error.
    private mutating func apply(_ setting: PreprocessSetting, to recipe: inout Preprocessing) -> Bool {
        switch setting.name {
        case "resize", "center_crop":
            guard let sizes = sizes(setting) else { return false }
            if setting.name == "center_crop" {
                recipe.centerCrop = sizes.count == 1 ? [sizes[0], sizes[0]] : sizes
            } else {
                recipe.resize = sizes.count == 1 ? .shorterSide(size: sizes[0]) : .exact(height: sizes[0], width: sizes[1])
            }
        case "scale":
            guard !setting.isList else {
                sink.error("scale takes one number, found a list", at: setting.location)
                return false
            }
            guard let value = real(setting.values[0]) else { return false }
            recipe.scale = value
        default:  // mean, std
            var values: [Double] = []
            for expr in setting.values {
                guard let value = real(expr) else { return false }
                if setting.name == "std" && value == 0 {
                    sink.error("std must not be zero", at: expr.location)
                    return false
                }
                values.append(value)
            }
            guard !values.isEmpty else {
                sink.error("\(setting.name) needs at least one value", at: setting.location)
                return false
            }
            if setting.name == "mean" { recipe.mean = values } else { recipe.std = values }
        }
        return true
    }

    /// The ints of `resize N`, `resize [H, W]` (same for center_crop), each in 1…65536.
    private mutating func sizes(_ setting: PreprocessSetting) -> [Int]? {
        guard setting.isList ? setting.values.count == 2 : true else {
            sink.error("\(setting.name) takes one size or [height, width], found \(setting.values.count) values", at: setting.location)
            return nil
        }
        var sizes: [Int] = []
        for expr in setting.values {
            switch evaluate(expr) {
            case .int(let n) where n >= 1 && n <= Preprocessing.maxSide:
                sizes.append(n)
            case .int(let n):
                sink.error("\(setting.name) size must be between 1 and \(Preprocessing.maxSide), found \(n)", at: expr.location)
                return nil
            case .poison:
                return nil
            case let other:
                sink.error("\(setting.name) size must be an int, found \(other.typeName)", at: expr.location)
                return nil
            }
        }
        return sizes
    }

    /// A number computed in real arithmetic, so `1 / 255` is 0.00392… (not the int 0):
    /// literals, params, unary minus, `+ - * /` and parentheses.
    private mutating func real(_ expr: Expr) -> Double? {
        switch expr.kind {
        case .int(let v): return Double(v)
        case .float(let v): return v
        case .unary(.negate, let operand): return real(operand).map { -$0 }
        case .binary(let op, let left, let right) where [.add, .subtract, .multiply, .divide].contains(op):
            guard let a = real(left), let b = real(right) else { return nil }
            switch op {
            case .add: return a + b
            case .subtract: return a - b
            case .multiply: return a * b
            default:
                guard b != 0 else {
                    sink.error("division by zero", at: expr.location)
                    return nil
                }
                return a / b
            }
        default:
            switch evaluate(expr) {
            case .int(let v): return Double(v)
            case .float(let v): return v
            case .poison: return nil
            case let other:
                sink.error("preprocessing values must be numbers, found \(other.typeName)", at: expr.location)
                return nil
            }
        }
    }

    mutating func declareLabels(_ path: String, at location: SourceLocation, _ pathLocation: SourceLocation) {
        if let first = imageItems.labelsLocation {
            sink.error("'labels' is declared twice", at: location, notes: [.note("first declared here", at: first)])
            return
        }
        imageItems.labelsLocation = location
        guard let directory = options.labelsDirectory else { return }
        let resolved = path.hasPrefix("/") || directory.isEmpty ? path : directory + "/" + path
        do {
            imageItems.labels = try ClassLabels.read(path: resolved)
            imageItems.labelsPath = resolved
        } catch {
            sink.error("cannot read labels: \(error.description)", at: pathLocation)
        }
    }

    /// Checks the recipe and the labels against the input and first output.
    mutating func finishImageItems() {
        if let recipe = imageItems.preprocess, let location = imageItems.preprocessLocation,
           let input = graph.nodes.first(where: { if case .input = $0.op { return true } else { return false } }) {
            if !checkRecipe(recipe, input: input, at: location) { imageItems.preprocess = nil }
        }
        if let labels = imageItems.labels, let location = imageItems.labelsLocation, let output = graph.outputs.first {
            let shape = graph.nodes[output.node].shape
            if shape.count != 2 {
                sink.error("labels need a first output of shape [N, classes]; output '\(output.name)' is \(shape.shapeDescription)", at: location)
                imageItems.labels = nil
            } else if shape[1] != labels.count {
                imageItems.notes.append("\(imageItems.labelsPath ?? "labels") has \(labels.count) labels but output '\(output.name)' has \(shape[1]) classes; the model carries no labels")
                imageItems.labels = nil
            }
        }
    }

    /// Reports what in `recipe` cannot give the input's shape; true when it fits.
    private mutating func checkRecipe(_ recipe: Preprocessing, input: Node, at location: SourceLocation) -> Bool {
        let shape = input.shape
        guard shape.count == 4, shape[1] == 1 || shape[1] == 3 else {
            sink.error("preprocess needs an image input of shape Nx1xHxW or Nx3xHxW; input '\(input.name)' is \(shape.shapeDescription)", at: location)
            return false
        }
        let locations = imageItems.settingLocations
        for (name, values) in [("mean", recipe.mean), ("std", recipe.std)] where values.count != 1 && values.count != shape[1] {
            sink.error("\(name) has \(values.count) values; input '\(input.name)' has \(shape[1]) channels (give 1 or \(shape[1]))",
                       at: locations[name] ?? location)
            return false
        }
        let target = [shape[2], shape[3]]
        let takes = "input '\(input.name)' takes \(shape[2])×\(shape[3]) (height×width)"
        if let crop = recipe.centerCrop {
            guard crop == target else {
                sink.error("center_crop gives \(crop[0])×\(crop[1]); \(takes)", at: locations["center_crop"] ?? location)
                return false
            }
            switch recipe.resize {
            case .exact(let h, let w)? where crop[0] > h || crop[1] > w:
                sink.error("center_crop \(crop[0])×\(crop[1]) is larger than the resized image \(h)×\(w)", at: locations["center_crop"] ?? location)
                return false
            case .shorterSide(let size)? where min(crop[0], crop[1]) > size:
                sink.error("center_crop \(crop[0])×\(crop[1]) is larger than the resized shorter side \(size)", at: locations["center_crop"] ?? location)
                return false
            default: return true
            }
        }
        switch recipe.resize {
        case .exact(let h, let w)? where [h, w] != target:
            sink.error("resize gives \(h)×\(w); \(takes)", at: locations["resize"] ?? location)
            return false
        case .shorterSide(let size)? where size != min(shape[2], shape[3]):
            sink.error("resize \(size) sets the shorter side to \(size); \(takes) (add center_crop)", at: locations["resize"] ?? location)
            return false
        default: return true
        }
    }
}
