// The placement algorithm on hand-made lifetimes: best-fit offsets, in-place merging and its
// refusals, the peak sweep, and the plan-side figures agreeing with the planner's.
import ResNetCompiler
import ResNetRuntime
import Testing

@Suite struct MemoryPlannerTests {
    @Test func largestFirstThenBestFitGap() {
        // a and b are placed first (largest); c fits only in the gap a leaves once dead;
        // d (live with everything) goes after them.
        let values = [
            BufferLifetime(id: 0, size: 64, firstStep: 0, lastStep: 1),   // a
            BufferLifetime(id: 1, size: 48, firstStep: 0, lastStep: 3),   // b
            BufferLifetime(id: 2, size: 32, firstStep: 2, lastStep: 3),   // c
            BufferLifetime(id: 3, size: 16, firstStep: 0, lastStep: 3),   // d
        ]
        let plan = MemoryPlanner.plan(values)
        #expect(plan.offsets == [0: 0, 1: 64, 2: 0, 3: 112])
        #expect(plan.arenaSize == 128)
        #expect(plan.lowerBound == 128 && plan.peakStep == 0)
        #expect(plan.naiveSize == 160)
    }

    @Test func sizesAreAlignedTo64Bytes() {
        let plan = MemoryPlanner.plan([BufferLifetime(id: 0, size: 1, firstStep: 0, lastStep: 0),
                                       BufferLifetime(id: 1, size: 17, firstStep: 0, lastStep: 0)])
        #expect(plan.offsets == [1: 0, 0: 32])
        #expect(plan.arenaSize == 48)
    }

    @Test func inPlaceChainsShareOneBuffer() {
        let values = [
            BufferLifetime(id: 0, size: 16, firstStep: 0, lastStep: 1),
            BufferLifetime(id: 1, size: 16, firstStep: 1, lastStep: 2, inPlaceOver: 0),
            BufferLifetime(id: 2, size: 16, firstStep: 2, lastStep: Int.max, inPlaceOver: 1),
        ]
        let plan = MemoryPlanner.plan(values)
        #expect(plan.offsets == [0: 0, 1: 0, 2: 0])
        #expect(plan.inPlace == [1: 0, 2: 1])
        #expect(plan.arenaSize == 16 && plan.lowerBound == 16)
    }

    @Test func inPlaceIsRefusedWhenTheTargetIsReadLaterOrSizesDiffer() {
        let values = [
            BufferLifetime(id: 0, size: 16, firstStep: 0, lastStep: 2),                    // read after step 1
            BufferLifetime(id: 1, size: 16, firstStep: 1, lastStep: 2, inPlaceOver: 0),
            BufferLifetime(id: 2, size: 16, firstStep: 0, lastStep: 3),
            BufferLifetime(id: 3, size: 32, firstStep: 3, lastStep: 3, inPlaceOver: 2),     // bigger
        ]
        let plan = MemoryPlanner.plan(values)
        #expect(plan.inPlace.isEmpty)
        #expect(plan.offsets[0] != plan.offsets[1])
        #expect(plan.offsets[2] != plan.offsets[3])
    }

    @Test func figuresRecomputedFromAPlanMatchThePlanners() throws {
        for source in try ResidualGraphs.all {
            for graph in [source, try optimized(source)] {
                var plan = try Lowering.lower(graph).plan
                let recorded = try #require(MemoryFigures(metadata: plan.metadata, arenaFloats: plan.arenaFloats))
                plan.metadata = [:]
                let recomputed = MemoryFigures(plan: plan)
                #expect(recomputed.lowerBoundBytes == recorded.lowerBoundBytes, "\(graph.name)")
                #expect(recomputed.naiveBytes == recorded.naiveBytes, "\(graph.name)")
                #expect(recomputed.inPlaceSteps == recorded.inPlaceSteps, "\(graph.name)")
                #expect(recomputed.arenaBytes == plan.arenaFloats * 4 && recomputed.planner == "unknown")
            }
        }
    }

    @Test func bufferTableFollowsReadsThroughViewsAndOutputs() throws {
        let plan = try Lowering.lower(try ResidualGraphs.basicNet()).plan
        let buffers = ArenaBuffer.analyze(plan)
        let pool = try #require(buffers.first { $0.name.hasPrefix("maxpool") })
        #expect(plan.steps[pool.lastStep].op == .add)  // the block input is last read by its residual add
        let gap = try #require(buffers.first { $0.name.hasPrefix("global_avgpool") })
        #expect(plan.steps[gap.lastStep].name == "fc")  // read through the flatten view
        #expect(buffers.last?.name == "fc" && buffers.last?.lastStep == Int.max)
        #expect(buffers.first?.firstStep == -1 && buffers.count == plan.steps.count + 1)
    }
}
