// A session's persistent worker threads: they spin briefly between steps (a step follows the
// last within microseconds) and park on a condition variable when idle, so a run pays neither
// thread creation nor a wake-up per step. Each participant starts on its static chunk (Parallel's
// split) and, once done, takes units from the back of chunks still running: on a shared host one
// core is often slower for a while, and a static split then waits for it (ResNet-50 on 2
// threads: ~6 of 44 ms per run idle). A step ends when its units are done, not when every worker
// has looked in: a worker the OS has not scheduled (another process on its core) is not waited
// for, and joins a later step when it runs again. Units are independent, so results do not change.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// `threads − 1` workers plus the calling thread, running one step's units at a time.
final class WorkerPool: @unchecked Sendable {
    // @unchecked: `job` and the claims are reset only by the caller while the gate is closed and
    // no worker is inside it (each `forEach` ends by closing the gate and waiting for those
    // inside to leave); opening the gate publishes them with release ordering, and a worker reads
    // them only after entering, which acquires that store. The mutex and condition variable are
    // only used through pthread calls.

    /// Participants including the caller.
    let threads: Int
    /// `generation << 32 | open << 31 | workers inside`: a step's generation, whether workers may
    /// still enter it, and how many have entered and not left. One word, so that entering (a
    /// compare-exchange that sees the gate open) and closing (clearing the bit, then waiting for
    /// the count to drain) cannot miss each other.
    private let gate = Atomic<UInt64>(0)
    /// Units of the running step not finished yet: the step ends when it reaches 0.
    private let pending = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private var job: (count: Int, chunks: Int, body: @Sendable (Range<Int>, Int) -> Void)?
    /// Per chunk, its unclaimed units `[front, back)` packed as `front << 32 | back`: the owner
    /// claims from the front, idle participants from the back, each claim one compare-exchange.
    private let claims: [ChunkClaims]
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let wake: UnsafeMutablePointer<pthread_cond_t>
    private var handles: [pthread_t] = []
    /// Whether this pool's threads are counted in `SpinPolicy` (from start until it stops).
    private var registered = false
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
        SpinPolicy.register(threads: self.threads)
        registered = true
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
    /// Any participant may take units of another's chunk, so the caller finishes the step alone
    /// when no worker gets a core in time.
    func forEach(count: Int, _ body: @escaping @Sendable (Range<Int>, Int) -> Void) {
        let chunks = min(threads, count)
        // Beyond the packed claims' range (no plan comes near), the caller runs the step alone.
        if chunks <= 1 || handles.isEmpty || count > ChunkClaims.maxUnits {
            Parallel.forEach(count: count, threads: 1, body)
            return
        }
        job = (count, chunks, body)
        for chunk in 0..<chunks {
            claims[chunk].reset(chunk * count / chunks..<(chunk + 1) * count / chunks)
        }
        pending.store(count, ordering: .relaxed)
        // The caller claims its first piece before any worker can take from its chunk, so it
        // always works on every step (profiles and traces rely on worker 0 having a span).
        let first = claims[0].claimFront(max(1, claims[0].size / 8))
        let generation = (gate.load(ordering: .relaxed) >> 32 &+ 1) & 0xFFFF_FFFF
        gate.store(generation << 32 | Self.openBit, ordering: .releasing)
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
        if let first {
            body(first, 0)
            pending.subtract(first.count, ordering: .releasing)
        }
        participate(index: 0, chunks: chunks, body)
        var spins = 0
        while pending.load(ordering: .acquiring) > 0 { SpinPolicy.poll(&spins) }
        // Close the gate, then wait for the workers inside to leave (they find nothing left to
        // claim), so that none reads `job` or the claims while the next step resets them.
        gate.bitwiseAnd(~Self.openBit, ordering: .acquiringAndReleasing)
        while gate.load(ordering: .acquiring) & Self.insideMask != 0 { SpinPolicy.poll(&spins) }
    }

    /// The gate's open bit and the mask of its count of workers inside.
    private static let openBit: UInt64 = 1 << 31
    private static let insideMask: UInt64 = openBit - 1

    /// Stops and joins every worker (idempotent). The owner must call it: each worker holds the
    /// pool, so the pool is not deinitialized while its workers run.
    func shutdown() {
        stopping.store(true, ordering: .releasing)
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
        for handle in handles { pthread_join(handle, nil) }
        handles = []
        if registered { SpinPolicy.unregister(threads: threads) }
        registered = false
    }

    deinit {
        shutdown()
        pthread_cond_destroy(wake)
        pthread_mutex_destroy(mutex)
        wake.deallocate()
        mutex.deallocate()
    }

    /// A worker's life: wait for the next generation; if that step is still open, enter it, take
    /// units from its chunk and the others' (if the step has a chunk for it), and leave.
    fileprivate func work(index: Int) {
        var seen: UInt64 = 0
        while true {
            guard let next = waitForGeneration(after: seen) else { return }
            seen = next
            guard enter(generation: next) else { continue }
            if let job, index < job.chunks { participate(index: index, chunks: job.chunks, job.body) }
            gate.subtract(1, ordering: .releasing)
        }
    }

    /// Counts this worker in to step `generation` if the gate is still open for it. Acquiring:
    /// the worker then sees the step's `job` and claims.
    private func enter(generation: UInt64) -> Bool {
        var current = gate.load(ordering: .relaxed)
        while true {
            guard current >> 32 == generation, current & Self.openBit != 0 else { return false }
            let (exchanged, found) = gate.compareExchange(expected: current, desired: current + 1, ordering: .acquiring)
            if exchanged { return true }
            current = found
        }
    }

    /// Participant `index`'s share of a step: its own chunk from the front, in pieces of an
    /// eighth (so a late owner leaves whole pieces to others), then half of what is left at the
    /// back of each other chunk, until every chunk is claimed.
    /// Each finished range counts down `pending` (releasing: the caller, acquiring 0, sees its
    /// writes).
    private func participate(index: Int, chunks: Int, _ body: @Sendable (Range<Int>, Int) -> Void) {
        let own = claims[index]
        let piece = max(1, own.size / 8)
        while let range = own.claimFront(piece) {
            body(range, index)
            pending.subtract(range.count, ordering: .releasing)
        }
        for offset in 1..<chunks {
            let other = claims[(index + offset) % chunks]
            while let range = other.claimBack() {
                body(range, index)
                pending.subtract(range.count, ordering: .releasing)
            }
        }
    }

    /// Spins for a short while, then parks, until the gate's generation passes `seen`; nil = stop.
    private func waitForGeneration(after seen: UInt64) -> UInt64? {
        let start = monotonicNanoseconds()
        var spins = 0
        while true {
            let current = gate.load(ordering: .relaxed) >> 32
            if current != seen { return current }
            if stopping.load(ordering: .acquiring) { return nil }
            spins += 1
            if spins & 255 == 0 {
                if monotonicNanoseconds() - start > Self.spinNanoseconds { break }
                // With more session threads than processors, lets one of them have the core.
                if SpinPolicy.yields { sched_yield() }
            }
        }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            let current = gate.load(ordering: .relaxed) >> 32
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
