// Places every value in one arena: in-place pairs merged first, then greedy by size with
// best-fit gaps (TFLite's arena planner; Pisarchyk & Lee 2020, "Greedy by Size"), aligned.
// In the runtime because both sides plan with it: the compiler its arenas, a session the
// one-image arena of a batched plan (Plan+SingleImage.swift).

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

/// The placement algorithm over lifetimes (no graph, no step order: those come from the caller,
/// the compiler's MemoryLayout or `Plan.singleImage`).
public enum MemoryPlanner {
    /// Plans offsets for `values`; sizes are rounded up to `alignment` floats (16 = 64 bytes).
    public static func plan(_ values: [BufferLifetime], alignment: Int = 16) -> MemoryPlan {
        let groups = mergeInPlace(values).map { group -> Group in
            var g = group
            for i in g.pieces.indices { g.pieces[i].size = (g.pieces[i].size + alignment - 1) / alignment * alignment }
            return g
        }
        let (lowerBound, peakStep) = peakUsage(groups.flatMap(\.pieces))
        var placed: [(lifetime: BufferLifetime, offset: Int)] = []
        var groupOffsets = [Int](repeating: 0, count: groups.count)
        var arena = 0
        // Largest first; ties by earlier start, then id, so the result is deterministic.
        let order = groups.indices.sorted {
            let a = groups[$0].pieces[0], b = groups[$1].pieces[0]
            if a.size != b.size { return a.size > b.size }
            if a.firstStep != b.firstStep { return a.firstStep < b.firstStep }
            return a.id < b.id
        }
        for index in order {
            let pieces = groups[index].pieces
            let offset = bestFitOffset(for: pieces, among: placed)
            for piece in pieces {
                placed.append((piece, offset))
                arena = max(arena, offset + piece.size)
            }
            groupOffsets[index] = offset
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

    /// The offset for a group whose pieces all start at it: the smallest gap between placed,
    /// time-overlapping values that fits the first (largest) piece and leaves room for the
    /// others; past every conflict if no gap does.
    private static func bestFitOffset(for pieces: [BufferLifetime],
                                      among placed: [(lifetime: BufferLifetime, offset: Int)]) -> Int {
        func conflicts(_ piece: BufferLifetime) -> [(lifetime: BufferLifetime, offset: Int)] {
            placed.filter { $0.lifetime.overlaps(piece) }
        }
        let main = conflicts(pieces[0]).sorted { $0.offset < $1.offset }
        let others = pieces.dropFirst().map { (piece: $0, conflicts: conflicts($0)) }
        func othersFit(at offset: Int) -> Bool {
            others.allSatisfy { other in
                other.conflicts.allSatisfy { offset + other.piece.size <= $0.offset || $0.offset + $0.lifetime.size <= offset }
            }
        }
        var best: (offset: Int, gap: Int)?
        var cursor = 0
        for c in main {
            let gap = c.offset - cursor
            if gap >= pieces[0].size, best == nil || gap < best!.gap, othersFit(at: cursor) { best = (cursor, gap) }
            cursor = max(cursor, c.offset + c.lifetime.size)
        }
        if let best { return best.offset }
        if othersFit(at: cursor) { return cursor }
        return others.flatMap(\.conflicts).reduce(cursor) { max($0, $1.offset + $1.lifetime.size) }
    }

    /// Values sharing one buffer through in-place chains. Each piece is a (size, steps) rectangle
    /// starting at the group's offset: a value written in place over a same-sized one extends
    /// the last piece; a smaller one written over the start of a larger one adds a piece from
    /// the step after it is written (while that step runs, the larger buffer is still in use).
    package struct Group {
        package var pieces: [BufferLifetime]
        package var members: [Int]
    }

    /// Merges each value with the one it overwrites in place when that is legal: no larger, and
    /// the overwritten value's last read is the step that writes this one.
    package static func mergeInPlace(_ values: [BufferLifetime]) -> [Group] {
        var groupOf: [Int: Int] = [:]
        var groups: [Group] = []
        let byID = Dictionary(uniqueKeysWithValues: values.map { ($0.id, $0) })
        for v in values.sorted(by: { $0.firstStep < $1.firstStep }) {
            if let targetID = v.inPlaceOver, let target = byID[targetID], let g = groupOf[targetID],
               v.size <= target.size, target.lastStep == v.firstStep,
               let tail = groups[g].pieces.last, tail.lastStep == target.lastStep, tail.size >= v.size {
                if v.size == tail.size {
                    groups[g].pieces[groups[g].pieces.count - 1].lastStep = v.lastStep
                } else if v.lastStep > v.firstStep {
                    groups[g].pieces.append(BufferLifetime(id: v.id, size: v.size, firstStep: v.firstStep + 1,
                                                           lastStep: v.lastStep))
                }
                groups[g].members.append(v.id)
                groupOf[v.id] = g
            } else {
                groupOf[v.id] = groups.count
                groups.append(Group(pieces: [v], members: [v.id]))
            }
        }
        return groups
    }

    /// The largest total size live at any one step, and that step.
    package static func peakUsage(_ values: [BufferLifetime]) -> (size: Int, step: Int) {
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
