// The planner on 240 seeded random DAGs: every order is a valid schedule, no two values live at
// the same step overlap unless one is a legal in-place write, and the figures are consistent.
import ResNetCompiler
import Testing

/// A tiny deterministic generator (SplitMix64) so failures reproduce from the seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random DAG: 1–2 inputs, steps reading 1–3 earlier values, a few views, a few outputs.
func randomMemoryGraph(seed: UInt64) -> MemoryGraph {
    var rng = SeededGenerator(state: seed)
    let sizes = [1, 7, 16, 33, 64, 100, 256]
    let rules: [InPlaceRule] = [.never, .firstOperand, .anyOperand, .lastOperandExclusive, .firstOperandPrefix]
    var nodes: [MemoryGraph.Node] = []
    for i in 0..<Int.random(in: 1...2, using: &rng) {
        nodes.append(.init(name: "in\(i)", size: sizes.randomElement(using: &rng)!, inputs: [], kind: .input))
    }
    for i in 0..<Int.random(in: 3...40, using: &rng) {
        let id = nodes.count
        if Int.random(in: 0..<8, using: &rng) == 0 {
            let source = Int.random(in: 0..<id, using: &rng)
            nodes.append(.init(name: "view\(i)", size: nodes[source].size, inputs: [source], kind: .alias))
            continue
        }
        // Prefer recent values so chains form, and sometimes reuse a size so in-place applies.
        let inputs = (0..<Int.random(in: 1...3, using: &rng)).map { _ in max(0, id - 1 - Int.random(in: 0..<min(id, 6), using: &rng)) }
        let size = Bool.random(using: &rng) ? nodes[inputs[0]].size : sizes.randomElement(using: &rng)!
        nodes.append(.init(name: "s\(i)", size: size, inputs: inputs, kind: .step(rules.randomElement(using: &rng)!)))
    }
    var outputs = [nodes.count - 1]
    for _ in 0..<Int.random(in: 0...2, using: &rng) { outputs.append(Int.random(in: 0..<nodes.count, using: &rng)) }
    return MemoryGraph(nodes: nodes, outputs: outputs)
}

/// Problems with `layout` for `graph`, recomputed from scratch.
func layoutProblems(_ graph: MemoryGraph, _ layout: MemoryLayout, options: MemoryOptions) -> [String] {
    var problems: [String] = []
    func root(_ id: Int) -> Int { graph.nodes[id].kind == .alias ? root(graph.nodes[id].inputs[0]) : id }
    let steps = graph.nodes.indices.filter { if case .step = graph.nodes[$0].kind { true } else { false } }
    if layout.order.sorted() != steps { problems.append("order is not a permutation of the steps") }
    var position = [Int](repeating: -1, count: graph.nodes.count)
    for (i, id) in layout.order.enumerated() { position[id] = i }
    var first = position, last = position
    for (i, id) in layout.order.enumerated() {
        for input in graph.nodes[id].inputs {
            let r = root(input)
            if graph.nodes[r].kind != .input && position[r] >= i { problems.append("\(graph.nodes[id].name) runs before its input") }
            last[r] = max(last[r], i)
        }
    }
    for o in graph.outputs { last[root(o)] = Int.max }
    for (id, node) in graph.nodes.enumerated() where node.kind == .input {
        first[id] = -1
        if !options.reuseInputMemory { last[id] = Int.max }
    }
    let values = graph.nodes.indices.filter { graph.nodes[$0].kind != .alias }
    for (a, v) in values.enumerated() {
        if layout.offsets[v] % options.alignment != 0 { problems.append("\(v) misaligned") }
        if layout.offsets[v] + graph.nodes[v].size > layout.plan.arenaSize { problems.append("\(v) outside the arena") }
        for w in values[(a + 1)...] {
            guard first[v] <= last[w] && first[w] <= last[v] else { continue }
            let rv = layout.offsets[v]..<layout.offsets[v] + graph.nodes[v].size
            let rw = layout.offsets[w]..<layout.offsets[w] + graph.nodes[w].size
            guard rv.overlaps(rw) else { continue }
            let (early, late) = first[v] <= first[w] ? (v, w) : (w, v)
            // In place: the same buffer, or (a pointwise conv) the start of a larger one.
            let sameStart = rv.lowerBound == rw.lowerBound
            let fits = graph.nodes[late].size == graph.nodes[early].size
                || (graph.nodes[late].size < graph.nodes[early].size && graph.nodes[late].kind == .step(.firstOperandPrefix))
            let legal = sameStart && fits && last[early] == first[late] && graph.nodes[early].kind != .input
                && inPlaceAllowed(graph, step: late, over: early, root: root)
            if !legal { problems.append("\(graph.nodes[v].name) and \(graph.nodes[w].name) overlap while both live") }
        }
    }
    return problems
}

/// Whether the rule of `step` lets it write over `target`.
func inPlaceAllowed(_ graph: MemoryGraph, step: Int, over target: Int, root: (Int) -> Int) -> Bool {
    guard case .step(let rule) = graph.nodes[step].kind else { return false }
    let roots = graph.nodes[step].inputs.map(root)
    switch rule {
    case .never: return false
    case .firstOperand, .firstOperandPrefix: return roots.first == target
    case .anyOperand: return roots.contains(target)
    case .lastOperandExclusive: return roots.last == target && !roots.dropLast().contains(target)
    }
}

@Suite struct RandomDAGTests {
    @Test(arguments: 0..<4)
    func randomGraphsArePlacedSafely(batch: Int) {
        for seed in UInt64(batch * 60)..<UInt64(batch * 60 + 60) {
            let graph = randomMemoryGraph(seed: seed)
            let fixedOrder = MemoryLayout.plan(graph, options: MemoryOptions(reorderSteps: false))
            for options in [MemoryOptions(), MemoryOptions(reuseInputMemory: false), MemoryOptions(reorderSteps: false)] {
                let layout = options.reorderSteps ? MemoryLayout.plan(graph, options: options) : fixedOrder
                let problems = layoutProblems(graph, layout, options: options)
                #expect(problems.isEmpty, "seed \(seed): \(problems.prefix(3))")
                #expect(layout.plan.lowerBound <= layout.plan.arenaSize, "seed \(seed)")
                #expect(layout.plan.arenaSize <= layout.plan.naiveSize, "seed \(seed)")
                if options == MemoryOptions() {
                    // The graph's own order is a candidate, so reordering never makes things worse.
                    #expect(layout.plan.arenaSize <= fixedOrder.plan.arenaSize, "seed \(seed)")
                }
            }
        }
    }

    @Test func planningIsDeterministic() {
        for seed in UInt64(0)..<20 {
            let graph = randomMemoryGraph(seed: seed)
            let a = MemoryLayout.plan(graph), b = MemoryLayout.plan(graph)
            #expect(a.order == b.order && a.offsets == b.offsets && a.plan == b.plan)
        }
    }
}

@Suite struct ScratchPlanningTests {
    /// Scratch buffers are placed like one-step values: inside the arena, never over a value
    /// the step reads or writes or anything else live at that step.
    @Test func scratchIsDisjointFromEverythingLiveAtItsStep() {
        for seed in UInt64(0)..<60 {
            var graph = randomMemoryGraph(seed: seed)
            for id in graph.nodes.indices where id % 3 == 0 {
                if case .step = graph.nodes[id].kind { graph.nodes[id].scratch = 5 + id }
            }
            let layout = MemoryLayout.plan(graph)
            #expect(layoutProblems(graph, layout, options: MemoryOptions()).isEmpty, "seed \(seed)")
            let lifetimes = Dictionary(uniqueKeysWithValues: layout.lifetimes.map { ($0.id, $0) })
            for (step, offset) in layout.scratchOffsets {
                let index = layout.order.firstIndex(of: step)!
                let scratch = offset..<offset + graph.nodes[step].scratch
                #expect(scratch.upperBound <= layout.plan.arenaSize)
                for (id, node) in graph.nodes.enumerated() where node.kind != .alias {
                    let v = lifetimes[id]!
                    guard v.firstStep <= index && index <= v.lastStep else { continue }
                    let range = layout.offsets[id]..<layout.offsets[id] + node.size
                    #expect(!range.overlaps(scratch), "seed \(seed): scratch of \(step) overlaps \(id)")
                }
            }
            #expect(layout.scratchOffsets.count == graph.nodes.indices.filter { graph.nodes[$0].scratch > 0 }.count)
        }
    }
}
