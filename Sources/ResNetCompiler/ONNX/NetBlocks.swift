// Finds residual units in an imported graph (the nodes of one module scope such as `layer2.1`
// that compute one value from one input) and writes each distinct structure once, as a `block`
// whose differing integers (channels, strides) become parameters; a stage of units becomes a
// `repeat` when their indices run 0, 1, 2, ….
import ResNetRuntime

/// Block definitions and the groups of nodes they replace.
enum NetBlocks {
    /// One unit: nodes `first...last`, module path `key` (`layer2.1`), in stage `stage` at `index`.
    struct Unit {
        var key: String
        var stage: String
        var index: Int
        var input: Int
        var first: Int
        var last: Int
        /// The block body with its integers as slots, and the slots' values and kinds.
        var template = ""
        var values: [Int] = []
        var kinds: [SlotInts.Kind] = []
    }

    /// Records the integer arguments of a block body as numbered slots.
    final class SlotInts: IntArguments {
        /// A slot's argument name (nil: positional) and the op's default for it.
        struct Kind {
            var name: String?
            var fallback: Int
        }
        var values: [Int] = []
        var kinds: [Kind] = []
        func positional(_ value: Int) -> String { slot(Kind(name: nil, fallback: 0), value) }
        func named(_ name: String, _ value: Int, default fallback: Int) -> String { slot(Kind(name: name, fallback: fallback), value) }
        private func slot(_ kind: Kind, _ value: Int) -> String {
            values.append(value)
            kinds.append(kind)
            return "\u{1}\(values.count - 1)\u{1}"
        }
    }

    /// The blocks and groups for `graph`, or nil when there are no units.
    static func find(in graph: Graph, scopes: [String], biasDefault: Bool) -> (definitions: [[String]], groups: [UnitGroup])? {
        guard scopes.count == graph.nodes.count else { return nil }
        var units = collectUnits(graph, scopes: scopes)
        guard !units.isEmpty else { return nil }
        var members: [String: [Int]] = [:]
        var order: [String] = []
        for k in units.indices {
            let slots = SlotInts()
            let body = NetStatementWriter(graph: unitGraph(graph, units[k]), groups: [], biasDefault: biasDefault, ints: slots)
            units[k].template = body.statements(returning: true).joined(separator: "\n")
            units[k].values = slots.values
            units[k].kinds = slots.kinds
            if members[units[k].template] == nil { order.append(units[k].template) }
            members[units[k].template, default: []].append(k)
        }
        var definitions: [[String]] = []
        var calls = [String](repeating: "", count: units.count)
        var taken = Set<String>()
        for template in order {
            let group = members[template]!.map { units[$0] }
            let name = blockName(graph, group[0], taken: &taken)
            let (definition, arguments) = parameterize(group, name: name)
            definitions.append(definition)
            for (k, args) in zip(members[template]!, arguments) { calls[k] = name + "(\u{0}" + args + ")" }
        }
        return (definitions, stageGroups(units, calls: calls))
    }

    /// Units in graph order: contiguous nodes of one `stage.index` scope, one input from outside,
    /// only the last node read from outside, at least one named layer, all named under the scope.
    static func collectUnits(_ graph: Graph, scopes: [String]) -> [Unit] {
        var byKey: [String: [Int]] = [:]
        var keys: [String] = []
        for node in graph.nodes where node.op != .input {
            let parts = scopes[node.id].split(separator: ".").map(String.init)
            guard parts.count >= 2, let _ = Int(parts[1]) else { continue }
            let key = parts[0] + "." + parts[1]
            if byKey[key] == nil { keys.append(key) }
            byKey[key, default: []].append(node.id)
        }
        let users = graph.users()
        let outputs = Set(graph.outputs.map(\.node))
        var units: [Unit] = []
        for key in keys {
            let ids = byKey[key]!
            guard let first = ids.first, let last = ids.last, ids == Array(first...last) else { continue }
            let inside = Set(ids)
            let outside = Set(ids.flatMap { graph.nodes[$0].inputs }).subtracting(inside)
            let prefix = key + "."
            guard outside.count == 1, let input = outside.first,
                  ids.dropLast().allSatisfy({ id in !outputs.contains(id) && users[id].allSatisfy(inside.contains) }),
                  ids.contains(where: { !graph.nodes[$0].name.isEmpty }),
                  ids.allSatisfy({ graph.nodes[$0].name.isEmpty || graph.nodes[$0].name.hasPrefix(prefix) }) else { continue }
            let parts = key.split(separator: ".")
            units.append(Unit(key: key, stage: String(parts[0]), index: Int(parts[1]) ?? 0, input: input, first: first, last: last))
        }
        return units
    }

    /// The unit as a graph of its own: input `x`, the unit's nodes with names relative to it.
    static func unitGraph(_ graph: Graph, _ unit: Unit) -> Graph {
        var sub = Graph(name: unit.key)
        sub.nodes.append(Node(id: 0, name: "x", op: .input, inputs: [], shape: graph.nodes[unit.input].shape))
        var newID = [unit.input: 0]
        for id in unit.first...unit.last {
            var node = graph.nodes[id]
            node.id = sub.nodes.count
            node.inputs = node.inputs.map { newID[$0] ?? 0 }
            if !node.name.isEmpty { node.name = String(node.name.dropFirst(unit.key.count + 1)) }
            newID[id] = node.id
            sub.nodes.append(node)
        }
        sub.outputs = [GraphOutput(name: "result", node: newID[unit.last] ?? 0)]
        return sub
    }

    /// `basic`, `bottleneck` (2 or 3 convs besides a `downsample`/`shortcut` projection) or
    /// `unit`, with `_proj` when the unit has a projection; made unique.
    static func blockName(_ graph: Graph, _ unit: Unit, taken: inout Set<String>) -> String {
        var main = 0, projection = false
        for id in unit.first...unit.last {
            guard case .conv = graph.nodes[id].op else { continue }
            let local = graph.nodes[id].name.dropFirst(unit.key.count + 1)
            if local.hasPrefix("downsample") || local.hasPrefix("shortcut") { projection = true } else { main += 1 }
        }
        let base = (main == 2 ? "basic" : main == 3 ? "bottleneck" : "unit") + (projection ? "_proj" : "")
        var name = base, n = 1
        while taken.contains(name) {
            n += 1
            name = "\(base)\(n)"
        }
        taken.insert(name)
        return name
    }

    /// The block definition for units sharing a template, and each unit's call arguments
    /// (after the input). Slots equal in every unit stay literals; the others become parameters,
    /// shared when two slots always agree, or written `p * k` when one is a multiple of another.
    static func parameterize(_ units: [Unit], name: String) -> (definition: [String], arguments: [String]) {
        let slotCount = units[0].values.count
        var params: [(name: String, fallback: Int?, values: [Int])] = []
        var text: [String] = []
        for slot in 0..<slotCount {
            let values = units.map { $0.values[slot] }
            let kind = units[0].kinds[slot]
            let expression: String
            if Set(values).count == 1 {
                expression = String(values[0])
            } else if let same = params.first(where: { $0.values == values }) {
                expression = same.name
            } else if let base = params.first(where: { p in
                p.values.allSatisfy { $0 > 0 } && values[0] % p.values[0] == 0 && values[0] / p.values[0] >= 2
                    && zip(values, p.values).allSatisfy { $0 == $1 * (values[0] / p.values[0]) } }) {
                expression = "\(base.name) * \(values[0] / base.values[0])"
            } else {
                let stem = kind.name ?? "planes"
                var param = stem, n = 1
                while params.contains(where: { $0.name == param }) {
                    n += 1
                    param = "\(stem)\(n)"
                }
                params.append((param, kind.name == nil ? nil : kind.fallback, values))
                expression = param
            }
            if let argument = kind.name {
                text.append(Set(values).count == 1 && values[0] == kind.fallback ? "" : ", \(argument): \(expression)")
            } else {
                text.append(expression)
            }
        }
        var body = units[0].template
        for slot in (0..<slotCount).reversed() { body = body.replacingOccurrences(of: "\u{1}\(slot)\u{1}", with: text[slot]) }
        params.sort { ($0.fallback == nil ? 0 : 1) < ($1.fallback == nil ? 0 : 1) }
        let signature = (["x"] + params.map { p in p.fallback.map { "\(p.name) = \($0)" } ?? p.name }).joined(separator: ", ")
        let definition = ["block \(name)(\(signature)) {"]
            + body.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 } + ["}"]
        let arguments = units.indices.map { u in
            params.map { p -> String in
                guard let fallback = p.fallback else { return ", \(p.values[u])" }
                return p.values[u] == fallback ? "" : ", \(p.name): \(p.values[u])"
            }.joined()
        }
        return (definition, arguments)
    }

    /// Consecutive units of one stage, each reading the previous one's result, as one group:
    /// `repeat` when indices run from 0 and the calls agree (but for the first), else one call each.
    static func stageGroups(_ units: [Unit], calls: [String]) -> [UnitGroup] {
        var groups: [UnitGroup] = []
        var start = 0
        while start < units.count {
            var end = start + 1
            while end < units.count, units[end].stage == units[start].stage, units[end].input == units[end - 1].last,
                  units[end].first == units[end - 1].last + 1 {
                end += 1
            }
            let run = Array(units[start..<end]), runCalls = Array(calls[start..<end])
            groups.append(UnitGroup(input: run[0].input, first: run[0].first, last: run[run.count - 1].last) { v in
                let call = { (k: Int) in runCalls[k].replacingOccurrences(of: "\u{0}", with: v) }
                let counted = run.enumerated().allSatisfy { $0.offset == $0.element.index }
                if run.count >= 2, counted, Set(runCalls.dropFirst()).count == 1 {
                    let body = runCalls[0] == runCalls[1] ? call(1) : "i == 0 ? \(call(0)) : \(call(1))"
                    return ["\(v) = \(run[0].stage): repeat \(run.count)\(body.hasPrefix("i ==") ? " as i" : "") { \(body) }"]
                }
                return run.indices.map { "\(v) = \(run[$0].key): \(call($0))" }
            })
            start = end
        }
        return groups
    }
}
