// How one lane shares the step it is running with a helper: a worker that has run out of images
// while this lane still runs its last one. The lane's owner publishes each step, both claim its
// units in pieces, and the owner moves on only when every claimed unit has finished. Without it a
// batch's last image keeps one worker busy while the others wait: on a shared host whose cores
// slow down one at a time, ResNet-50's batch of 8 on 2 threads waited 89–95 ms of ~395.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The published step of one lane and the claims on its units.
package final class LaneClaims: Sendable {
    /// `(step + 1) << 32 | first unclaimed unit` of the step the owner runs; 0 between images.
    private let ticket = Atomic<UInt64>(0)
    /// Units of the published step that have finished.
    private let finished = Atomic<Int>(0)
    /// Whether a helper has joined (at most one: the lane has two scratch slots).
    private let helped = Atomic<Bool>(false)

    /// A lane between images.
    package init() {}

    /// The owner: runs `steps` in order on scratch slot 0, each split in pieces a helper may share.
    package func run(_ steps: [CompiledStep]) {
        // Indexed, not copied (as in `help`): a copy of each step would retain its members.
        for index in steps.indices {
            let count = steps[index].units
            guard count <= Self.maxUnits else {
                // Beyond the ticket's unit field (no plan comes near): the owner alone.
                steps[index].body(0..<count, 0)
                continue
            }
            finished.store(0, ordering: .relaxed)
            // Releasing: a helper that claims a unit of this step sees what the earlier steps wrote.
            ticket.store(UInt64(index + 1) << 32, ordering: .releasing)
            let piece = Self.piece(count)
            while let units = claim(index, piece: piece, of: count) {
                steps[index].body(units, 0)
                finished.add(units.count, ordering: .releasing)
            }
            var spins = 0
            while finished.load(ordering: .acquiring) < count { SpinPolicy.poll(&spins) }
        }
        ticket.store(0, ordering: .releasing)
    }

    /// A helper: shares the owner's steps on scratch slot 1 until the lane stops between images
    /// (call it only once no image is left to start, so the lane does not start another). Returns
    /// at once when the lane already has a helper or is not running.
    package func help(_ steps: [CompiledStep]) {
        guard helped.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return }
        defer { helped.store(false, ordering: .releasing) }
        var spins = 0
        while true {
            let current = ticket.load(ordering: .acquiring)
            guard current != 0 else { return }
            // Indexed, not copied: a copy of the step would retain its members on every spin.
            let index = Int(current >> 32) - 1
            if let units = claim(index, piece: Self.piece(steps[index].units), of: steps[index].units) {
                steps[index].body(units, 1)
                finished.add(units.count, ordering: .releasing)
            } else {
                // Every unit of this step is taken: wait for the owner to publish the next.
                SpinPolicy.poll(&spins)
            }
        }
    }

    /// Up to `piece` unclaimed units of step `index` (of `units`), or nil when that step is not
    /// the published one or has none left.
    private func claim(_ index: Int, piece: Int, of units: Int) -> Range<Int>? {
        var current = ticket.load(ordering: .acquiring)
        while true {
            guard Int(current >> 32) == index + 1 else { return nil }
            let next = Int(current & 0xFFFF_FFFF)
            guard next < units else { return nil }
            let end = min(units, next + piece)
            let (exchanged, found) = ticket.compareExchange(expected: current, desired: current + UInt64(end - next),
                                                            ordering: .acquiringAndReleasing)
            if exchanged { return next..<end }
            current = found
        }
    }

    /// The most units of a step the ticket counts (its low 32 bits).
    private static let maxUnits = Int(UInt32.max)

    /// Units per claim: an eighth of the step (as the pool's pieces), so a helper finds some left.
    private static func piece(_ units: Int) -> Int { max(1, units / 8) }
}
