// Static, deterministic splitting of independent work units across threads, for work outside a
// session's runs (weight packing at load) and for a step a session runs on its calling thread
// alone; a session's runs split their steps with its persistent WorkerPool.

import Dispatch

/// Runs a body over `0..<count` split into contiguous, equal-as-possible chunks.
public enum Parallel {
    /// Calls `body` once per chunk; with `threads ≤ 1` (or one unit) on the calling thread.
    /// Chunk `i` of `t` is `[i·count/t, (i+1)·count/t)`, so the split depends only on the counts.
    public static func forEach(count: Int, threads: Int, _ body: @Sendable (Range<Int>) -> Void) {
        forEach(count: count, threads: threads) { range, _ in body(range) }
    }

    /// As `forEach(count:threads:_:)`, also passing the chunk's index (< `threads`), which no
    /// other concurrently running chunk has: kernels use it to pick their scratch slot.
    public static func forEach(count: Int, threads: Int, _ body: @Sendable (Range<Int>, Int) -> Void) {
        let chunks = min(max(threads, 1), count)
        if chunks <= 1 {
            if count > 0 { body(0..<count, 0) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            body(chunk * count / chunks..<(chunk + 1) * count / chunks, chunk)
        }
    }
}
