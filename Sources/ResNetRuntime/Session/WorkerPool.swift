// A session's persistent worker threads: they spin briefly between steps (a step follows the
// last within microseconds) and park on a condition variable when idle, so a run pays neither
// thread creation nor a wake-up per step. Each participant starts on its static chunk (Parallel's
// split) and, once done, takes units from the back of chunks still running: on a shared host one
// core is often slower for a while, and a static split then waits for it (ResNet-50 on 2
// threads: ~6 of 44 ms per run idle). Units are independent, so results do not change.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// `threads − 1` workers plus the calling thread, running one step's units at a time.
final class WorkerPool: @unchecked Sendable {
    // @unchecked: `job` is written only by the caller while every worker is idle (between
    // `remaining` reaching 0 and the next `generation` bump, which publishes it with release
    // ordering); workers read it only after acquiring that bump. The mutex and condition
    // variable are only used through pthread calls.

    /// Participants including the caller.
    let threads: Int
    private let generation = Atomic<Int>(0)
    private let remaining = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private var job: (count: Int, chunks: Int, body: @Sendable (Range<Int>, Int) -> Void)?
    /// Per chunk, its unclaimed units `[front, back)` packed as `front << 32 | back`: the owner
    /// claims from the front, idle participants from the back, each claim one compare-exchange.
    private let claims: [ChunkClaims]
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let wake: UnsafeMutablePointer<pthread_cond_t>
    private var handles: [pthread_t] = []
    /// How long an idle worker spins before parking.
    private static let spinNanoseconds: UInt64 = 200_000

    /// Starts `threads − 1` workers (none for 1). Throws when the OS refuses a thread.
    init(threads: Int) throws(RuntimeError) {
        self.threads = max(threads, 1)
        claims = (0..<self.threads).map { _ in ChunkClaims() }
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        wake = .allocate(capacity: 1)
        wake.initialize(to: pthread_cond_t())
        pthread_cond_init(wake, nil)
        for worker in 1..<self.threads {
            let context = Unmanaged.passRetained(WorkerContext(pool: self, index: worker)).toOpaque()
            var handle = pthread_t()
            guard pthread_create(&handle, nil, workerEntry, context) == 0 else {
                Unmanaged<WorkerContext>.fromOpaque(context).release()
                shutdown()
                throw .threadStart(threads: self.threads)
            }
            handles.append(handle)
        }
    }

    /// Runs `body` over `0..<count` in `min(threads, count)` contiguous chunks (chunk `i` is
    /// `[i·count/c, (i+1)·count/c)`), chunk 0 on the calling thread; returns when all are done.
    func forEach(count: Int, _ body: @escaping @Sendable (Range<Int>, Int) -> Void) {
        let chunks = min(threads, count)
        if chunks <= 1 || handles.isEmpty {
            Parallel.forEach(count: count, threads: 1, body)
            return
        }
        job = (count, chunks, body)
        for chunk in 0..<chunks where count <= ChunkClaims.maxUnits {
            claims[chunk].reset(chunk * count / chunks..<(chunk + 1) * count / chunks)
        }
        // The caller claims its first piece before any worker can take from its chunk, so it
        // always works on every step (profiles and traces rely on worker 0 having a span).
        let first = count <= ChunkClaims.maxUnits ? claims[0].claimFront(max(1, claims[0].size / 8)) : nil
        remaining.store(handles.count, ordering: .relaxed)
        generation.add(1, ordering: .releasing)
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
        if let first { body(first, 0) }
        participate(index: 0, chunks: chunks, body)
        var spins = 0
        while remaining.load(ordering: .acquiring) > 0 {
            // More busy threads than cores: let the descheduled worker run.
            spins += 1
            if spins & 255 == 0 { sched_yield() }
        }
    }

    /// Stops and joins every worker (idempotent). The owner must call it: each worker holds the
    /// pool, so the pool is not deinitialized while its workers run.
    func shutdown() {
        stopping.store(true, ordering: .releasing)
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
        for handle in handles { pthread_join(handle, nil) }
        handles = []
    }

    deinit {
        shutdown()
        pthread_cond_destroy(wake)
        pthread_mutex_destroy(mutex)
        wake.deallocate()
        mutex.deallocate()
    }

    /// A worker's life: wait for the next generation, run its chunk (if the step has one), report.
    fileprivate func work(index: Int) {
        var seen = 0
        while true {
            guard let next = waitForGeneration(after: seen) else { return }
            seen = next
            if let job, index < job.chunks { participate(index: index, chunks: job.chunks, job.body) }
            remaining.subtract(1, ordering: .releasing)
        }
    }

    /// Participant `index`'s share of a step: its own chunk from the front, in pieces of an
    /// eighth (so a late owner leaves whole pieces to others), then half of what is left at the
    /// back of each other chunk, until every chunk is claimed.
    private func participate(index: Int, chunks: Int, _ body: @Sendable (Range<Int>, Int) -> Void) {
        guard let job, job.count <= ChunkClaims.maxUnits else {
            // Beyond the packed claims' range (no plan comes near): the static chunk alone.
            if let job { body(index * job.count / chunks..<(index + 1) * job.count / chunks, index) }
            return
        }
        let own = claims[index]
        let piece = max(1, own.size / 8)
        while let range = own.claimFront(piece) { body(range, index) }
        for offset in 1..<chunks {
            let other = claims[(index + offset) % chunks]
            while let range = other.claimBack() { body(range, index) }
        }
    }

    /// Spins for a short while, then parks, until the generation passes `seen`; nil = stop.
    private func waitForGeneration(after seen: Int) -> Int? {
        let start = monotonicNanoseconds()
        var spins = 0
        while true {
            let current = generation.load(ordering: .acquiring)
            if current != seen { return current }
            if stopping.load(ordering: .acquiring) { return nil }
            spins += 1
            if spins & 255 == 0 {
                if monotonicNanoseconds() - start > Self.spinNanoseconds { break }
                // Gives the core to a runnable thread, if any (oversubscribed callers); returns
                // at once on an otherwise idle core.
                sched_yield()
            }
        }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            let current = generation.load(ordering: .acquiring)
            if current != seen { return current }
            if stopping.load(ordering: .acquiring) { return nil }
            pthread_cond_wait(wake, mutex)
        }
    }
}

/// One chunk's unclaimed units, claimed from both ends without locks.
private final class ChunkClaims: Sendable {
    /// `front << 32 | back`.
    private let state = Atomic<UInt64>(0)
    /// The most units a step may have to be claimed this way (32 bits each end).
    static let maxUnits = Int(UInt32.max)
    /// Units the chunk started with.
    private let sizeBox = Atomic<Int>(0)

    var size: Int { sizeBox.load(ordering: .relaxed) }

    /// Starts the chunk over `range` (only while no participant is running).
    func reset(_ range: Range<Int>) {
        sizeBox.store(range.count, ordering: .relaxed)
        state.store(UInt64(range.lowerBound) << 32 | UInt64(range.upperBound), ordering: .relaxed)
    }

    /// Up to `count` units from the front, or nil when none is left.
    func claimFront(_ count: Int) -> Range<Int>? {
        var current = state.load(ordering: .relaxed)
        while true {
            let front = Int(current >> 32), back = Int(current & 0xFFFF_FFFF)
            guard front < back else { return nil }
            let end = min(back, front + count)
            let (exchanged, found) = state.compareExchange(expected: current, desired: UInt64(end) << 32 | UInt64(back),
                                                           ordering: .relaxed)
            if exchanged { return front..<end }
            current = found
        }
    }

    /// Half of the unclaimed units (at least one) from the back, or nil when none is left.
    func claimBack() -> Range<Int>? {
        var current = state.load(ordering: .relaxed)
        while true {
            let front = Int(current >> 32), back = Int(current & 0xFFFF_FFFF)
            guard front < back else { return nil }
            let start = back - max(1, (back - front) / 2)
            let (exchanged, found) = state.compareExchange(expected: current, desired: UInt64(front) << 32 | UInt64(start),
                                                           ordering: .relaxed)
            if exchanged { return start..<back }
            current = found
        }
    }
}

/// What a worker thread is started with.
private final class WorkerContext {
    let pool: WorkerPool
    let index: Int
    init(pool: WorkerPool, index: Int) {
        self.pool = pool
        self.index = index
    }
}

#if canImport(Glibc)
private func workerEntry(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let context else { return nil }
    let worker = Unmanaged<WorkerContext>.fromOpaque(context).takeRetainedValue()
    worker.pool.work(index: worker.index)
    return nil
}
#else
private func workerEntry(_ context: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
    let worker = Unmanaged<WorkerContext>.fromOpaque(context).takeRetainedValue()
    worker.pool.work(index: worker.index)
    return nil
}
#endif

/// CLOCK_MONOTONIC in nanoseconds.
private func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}
