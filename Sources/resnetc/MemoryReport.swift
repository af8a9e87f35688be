// The memory part of `resnetc inspect`: arena figures (table and JSON) and, with --memory, a
// table of every buffer's offset and lifetime.
import Foundation
import ResNetCompiler
import ResNetRuntime

/// Arena figures and the per-buffer table of one plan.
struct MemoryReport {
    var plan: Plan
    var figures: MemoryFigures
    /// What a session with the default thread count allocates for this plan on this machine.
    var session: SessionMemory

    init(plan: Plan) {
        self.plan = plan
        figures = MemoryFigures(plan: plan)
        session = SessionMemory.planned(for: plan, threads: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The JSON keys `inspect --json` adds.
    var jsonFields: [String: Any] {
        ["arena_bytes": figures.arenaBytes, "arena_lower_bound_bytes": figures.lowerBoundBytes,
         "naive_activation_bytes": figures.naiveBytes, "arena_efficiency": figures.efficiency,
         "peak_step": figures.peakStep, "memory_planner": figures.planner, "memory_schedule": figures.schedule,
         "in_place_steps": figures.inPlaceSteps, "kernel_scratch_bytes": session.scratchBytesPerThread * session.scratchSlots,
         "shared_scratch_bytes": session.sharedScratchBytes, "packed_weight_bytes": session.packedWeightBytes,
         "session_bytes": session.sessionBytes, "session_threads": session.threads,
         "image_lanes": session.imageLanes, "lane_arena_bytes": session.imageLanes == 0 ? 0 : session.arenaBytes,
         "batch_buffer_bytes": session.batchBufferBytes, "rest_scratch_bytes": session.restScratchBytes]
    }

    /// The summary lines of the inspect table.
    var summaryLines: [String] {
        // With lanes the arena above is the batched plan's; a session runs images on lanes instead.
        let lanes = session.imageLanes == 0 ? [] : [
            "lanes:       \(session.imageLanes) workers take whole images, each on a one-image arena: \(formatBytes(session.arenaBytes)) in all + \(formatBytes(session.batchBufferBytes)) for the batch's inputs and outputs (instead of the arena above)"
                + (session.restScratchBytes > 0 ? " + \(formatBytes(session.restScratchBytes)) of scratch for the images left over, run on all workers" : ""),
        ]
        return [
            "arena:       \(formatBytes(figures.arenaBytes)) (\(formatCount(figures.arenaBytes)) bytes, every activation)",
            "unshared:    \(formatBytes(figures.naiveBytes)) (sum of all activations)",
            "lower bound: \(formatBytes(figures.lowerBoundBytes)) (most bytes live at one step: \(figures.peakStep))",
            String(format: "efficiency:  %.3f (lower bound / arena; %d steps in place; %@ order, %@)",
                   figures.efficiency, figures.inPlaceSteps, figures.schedule, figures.planner),
        ] + lanes + [
            "scratch:     \(formatBytes(session.scratchBytesPerThread * session.scratchSlots)) kernel tiles (\(session.scratchSlots) slots of \(formatBytes(session.scratchBytesPerThread))) + \(formatBytes(session.sharedScratchBytes)) \(session.imageLanes > 0 ? "pre-pass buffers, one per lane" : "shared pre-pass buffer")",
            "packed:      \(formatBytes(session.packedWeightBytes)) conv weights repacked for the kernels (\(KernelOptions().resolvedISA.rawValue)), once per model",
        ]
    }

    /// One row per buffer, in step order: offsets in bytes, lifetimes as step indices
    /// (`in` = written by the caller before step 0, `end` = survives the run).
    func bufferTable() -> String {
        let buffers = ArenaBuffer.analyze(plan)
        let nameWidth = min(40, max(6, buffers.map(\.name.count).max() ?? 6))
        let shapeWidth = max(18, buffers.map { ($0.shape.shapeDescription + $0.layout.shapeSuffix).count }.max() ?? 18)
        let columns = [pad("#", 4), pad("buffer", nameWidth), pad("shape", shapeWidth), padLeft("bytes", 12),
                       padLeft("offset", 12), padLeft("first", 5), padLeft("last", 5), " last reader / in place over"]
        var lines = [columns.joined(separator: " ")]
        for (index, b) in buffers.enumerated() {
            let first = b.firstStep < 0 ? "in" : String(b.firstStep)
            let last = b.lastStep == Int.max ? "end" : (b.lastStep < 0 ? "-" : String(b.lastStep))
            var note = b.lastStep >= 0 && b.lastStep < plan.steps.count && b.lastStep != b.firstStep
                ? plan.steps[b.lastStep].name : ""
            if let over = b.inPlaceOver { note += (note.isEmpty ? "" : "; ") + "in place over \(over)" }
            lines.append([pad(String(index), 4), pad(b.name, nameWidth), pad(b.shape.shapeDescription + b.layout.shapeSuffix, shapeWidth),
                          padLeft(formatCount(b.floats * 4), 12), padLeft(formatCount(b.offset * 4), 12),
                          padLeft(first, 5), padLeft(last, 5), " " + note].joined(separator: " "))
        }
        lines.append("arena \(formatCount(figures.arenaBytes)) bytes; lower bound \(formatCount(figures.lowerBoundBytes)) at \(figures.peakStep)")
        return lines.joined(separator: "\n")
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    private func padLeft(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }
}
