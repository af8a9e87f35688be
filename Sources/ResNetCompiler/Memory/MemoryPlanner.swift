// Places every value in one arena: in-place pairs merged first, then greedy by size with
// best-fit gaps (TFLite's arena planner; Pisarchyk & Lee 2020, "Greedy by Size"), aligned.

/// Where every value lives, and the figures that judge the placement.
public struct MemoryPlan: Sendable, Equatable {
    /// Value id → offset in floats.
    public var offsets: [Int: Int]
    /// Arena size in floats.
    public var arenaSize: Int
    /// The largest sum of (aligned) sizes live at one step: no placement can be smaller.
    public var lowerBound: Int
    /// The step where that sum is reached.
    public var peakStep: Int
    /// Sum of every value's aligned size, as if none shared memory.
    public var naiveSize: Int
    /// Value id → the id of the value whose memory it overwrites in place.
    public var inPlace: [Int: Int]

    /// lower bound ÷ arena (1.0 is optimal).
    public var efficiency: Double { arenaSize == 0 ? 1 : Double(lowerBound) / Double(arenaSize) }
}

/// The placement algorithm over lifetimes (no graph, no step order: those come from MemoryLayout).
public enum MemoryPlanner {
    /// Plans offsets for `values`; sizes are rounded up to `alignment` floats (16 = 64 bytes).
    public static func plan(_ values: [BufferLifetime], alignment: Int = 16) -> MemoryPlan {
        let groups = mergeInPlace(values)
        let aligned = groups.map { group -> BufferLifetime in
            var g = group.lifetime
            g.size = (g.size + alignment - 1) / alignment * alignment
            return g
        }
        let (lowerBound, peakStep) = peakUsage(aligned)
        var placed: [(lifetime: BufferLifetime, offset: Int)] = []
        var groupOffsets = [Int](repeating: 0, count: aligned.count)
        var arena = 0
        // Largest first; ties by earlier start, then id, so the result is deterministic.
        let order = aligned.indices.sorted {
            let a = aligned[$0], b = aligned[$1]
            if a.size != b.size { return a.size > b.size }
            if a.firstStep != b.firstStep { return a.firstStep < b.firstStep }
            return a.id < b.id
        }
        for index in order {
            let value = aligned[index]
            let offset = bestFitOffset(for: value, among: placed)
            placed.append((value, offset))
            groupOffsets[index] = offset
            arena = max(arena, offset + value.size)
        }
        var offsets: [Int: Int] = [:]
        for (groupIndex, group) in groups.enumerated() {
            for member in group.members { offsets[member] = groupOffsets[groupIndex] }
        }
        var inPlace: [Int: Int] = [:]
        for v in values { if let target = v.inPlaceOver, offsets[target] == offsets[v.id] { inPlace[v.id] = target } }
        let naive = values.reduce(0) { $0 + ($1.size + alignment - 1) / alignment * alignment }
        return MemoryPlan(offsets: offsets, arenaSize: arena, lowerBound: lowerBound, peakStep: peakStep,
                          naiveSize: naive, inPlace: inPlace)
    }

    /// The smallest gap between already-placed, time-overlapping values that fits `value`;
    /// past the last of them if none does.
    private static func bestFitOffset(for value: BufferLifetime,
                                      among placed: [(lifetime: BufferLifetime, offset: Int)]) -> Int {
        let conflicts = placed.filter { $0.lifetime.overlaps(value) }.sorted { $0.offset < $1.offset }
        var best: (offset: Int, gap: Int)?
        var cursor = 0
        for c in conflicts {
            let gap = c.offset - cursor
            if gap >= value.size, best == nil || gap < best!.gap { best = (cursor, gap) }
            cursor = max(cursor, c.offset + c.lifetime.size)
        }
        return best?.offset ?? cursor
    }

    /// A group of values sharing one buffer through in-place chains, as one lifetime.
    struct Group {
        var lifetime: BufferLifetime
        var members: [Int]
    }

    /// Merges each value with the one it overwrites in place when that is legal: same aligned
    /// size, and the overwritten value's last read is the step that writes this one.
    static func mergeInPlace(_ values: [BufferLifetime]) -> [Group] {
        var groupOf: [Int: Int] = [:]
        var groups: [Group] = []
        let byID = Dictionary(uniqueKeysWithValues: values.map { ($0.id, $0) })
        for v in values.sorted(by: { $0.firstStep < $1.firstStep }) {
            if let targetID = v.inPlaceOver, let target = byID[targetID], let g = groupOf[targetID],
               target.size == v.size, target.lastStep == v.firstStep,
               groups[g].lifetime.lastStep == target.lastStep {
                groups[g].lifetime.lastStep = v.lastStep
                groups[g].members.append(v.id)
                groupOf[v.id] = g
            } else {
                groupOf[v.id] = groups.count
                groups.append(Group(lifetime: v, members: [v.id]))
            }
        }
        return groups
    }

    /// The largest total size live at any one step, and that step.
    static func peakUsage(_ values: [BufferLifetime]) -> (size: Int, step: Int) {
        guard !values.isEmpty else { return (0, 0) }
        // Sweep over start/end events; a value is live on [first, last].
        var events: [(step: Int, delta: Int)] = []
        for v in values {
            events.append((v.firstStep, v.size))
            if v.lastStep != Int.max { events.append((v.lastStep + 1, -v.size)) }
        }
        events.sort { $0.step != $1.step ? $0.step < $1.step : $0.delta < $1.delta }
        var live = 0, best = (size: 0, step: 0)
        var i = 0
        while i < events.count {
            let step = events[i].step
            while i < events.count && events[i].step == step { live += events[i].delta; i += 1 }
            if live > best.size { best = (live, step) }
        }
        return best
    }
}
