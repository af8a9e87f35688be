// The register-blocked micro-kernels: a tile of output channels × two vectors of output pixels,
// reduced over a run of depth in registers (rows 12 for 16-lane vectors, 6 for narrower ones),
// starting from zero or, to continue a reduction cut into depth chunks, from the stored tile.
// Generated shapes only; keep the inner loop rolled (hand unrolling made LLVM spill).

/// A `12` × 2-vector tile: `tile[r][j] = Σₖ a[k·12 + r] · b[k·bStride + j]` over `count` k.
/// `a` is one packed weight block (`[count][12]`), `b` the first of `count` rows of
/// `2·Vec.scalarCount` pixels, `bStride` floats apart. The reduction stays in registers; `tile`
/// (row-major, 2 vectors per row) is read at the start if `accumulate` (the sum so far) and
/// written once, at the end.
func microKernel12(_ count: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                    _ bStride: Int, _ tile: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
    var c0a = start(tile, 0, 0, accumulate), c0b = start(tile, 0, 1, accumulate)
    var c1a = start(tile, 1, 0, accumulate), c1b = start(tile, 1, 1, accumulate)
    var c2a = start(tile, 2, 0, accumulate), c2b = start(tile, 2, 1, accumulate)
    var c3a = start(tile, 3, 0, accumulate), c3b = start(tile, 3, 1, accumulate)
    var c4a = start(tile, 4, 0, accumulate), c4b = start(tile, 4, 1, accumulate)
    var c5a = start(tile, 5, 0, accumulate), c5b = start(tile, 5, 1, accumulate)
    var c6a = start(tile, 6, 0, accumulate), c6b = start(tile, 6, 1, accumulate)
    var c7a = start(tile, 7, 0, accumulate), c7b = start(tile, 7, 1, accumulate)
    var c8a = start(tile, 8, 0, accumulate), c8b = start(tile, 8, 1, accumulate)
    var c9a = start(tile, 9, 0, accumulate), c9b = start(tile, 9, 1, accumulate)
    var c10a = start(tile, 10, 0, accumulate), c10b = start(tile, 10, 1, accumulate)
    var c11a = start(tile, 11, 0, accumulate), c11b = start(tile, 11, 1, accumulate)
    var ap = a
    let half = Vec.scalarCount * MemoryLayout<Float>.stride
    var bp = UnsafeRawPointer(b)
    let rowBytes = bStride * MemoryLayout<Float>.stride
    for _ in 0..<count {
        let b0 = bp.loadUnaligned(as: Vec.self)
        let b1 = bp.loadUnaligned(fromByteOffset: half, as: Vec.self)
        var w = Vec(repeating: ap[0])
        multiplyAdd(&c0a, w, b0)
        multiplyAdd(&c0b, w, b1)
        w = Vec(repeating: ap[1])
        multiplyAdd(&c1a, w, b0)
        multiplyAdd(&c1b, w, b1)
        w = Vec(repeating: ap[2])
        multiplyAdd(&c2a, w, b0)
        multiplyAdd(&c2b, w, b1)
        w = Vec(repeating: ap[3])
        multiplyAdd(&c3a, w, b0)
        multiplyAdd(&c3b, w, b1)
        w = Vec(repeating: ap[4])
        multiplyAdd(&c4a, w, b0)
        multiplyAdd(&c4b, w, b1)
        w = Vec(repeating: ap[5])
        multiplyAdd(&c5a, w, b0)
        multiplyAdd(&c5b, w, b1)
        w = Vec(repeating: ap[6])
        multiplyAdd(&c6a, w, b0)
        multiplyAdd(&c6b, w, b1)
        w = Vec(repeating: ap[7])
        multiplyAdd(&c7a, w, b0)
        multiplyAdd(&c7b, w, b1)
        w = Vec(repeating: ap[8])
        multiplyAdd(&c8a, w, b0)
        multiplyAdd(&c8b, w, b1)
        w = Vec(repeating: ap[9])
        multiplyAdd(&c9a, w, b0)
        multiplyAdd(&c9b, w, b1)
        w = Vec(repeating: ap[10])
        multiplyAdd(&c10a, w, b0)
        multiplyAdd(&c10b, w, b1)
        w = Vec(repeating: ap[11])
        multiplyAdd(&c11a, w, b0)
        multiplyAdd(&c11b, w, b1)
        ap += 12
        bp += rowBytes
    }
    let out = UnsafeMutableRawPointer(tile)
    let row = 2 * half
    out.storeBytes(of: c0a, toByteOffset: 0 * row, as: Vec.self)
    out.storeBytes(of: c0b, toByteOffset: 0 * row + half, as: Vec.self)
    out.storeBytes(of: c1a, toByteOffset: 1 * row, as: Vec.self)
    out.storeBytes(of: c1b, toByteOffset: 1 * row + half, as: Vec.self)
    out.storeBytes(of: c2a, toByteOffset: 2 * row, as: Vec.self)
    out.storeBytes(of: c2b, toByteOffset: 2 * row + half, as: Vec.self)
    out.storeBytes(of: c3a, toByteOffset: 3 * row, as: Vec.self)
    out.storeBytes(of: c3b, toByteOffset: 3 * row + half, as: Vec.self)
    out.storeBytes(of: c4a, toByteOffset: 4 * row, as: Vec.self)
    out.storeBytes(of: c4b, toByteOffset: 4 * row + half, as: Vec.self)
    out.storeBytes(of: c5a, toByteOffset: 5 * row, as: Vec.self)
    out.storeBytes(of: c5b, toByteOffset: 5 * row + half, as: Vec.self)
    out.storeBytes(of: c6a, toByteOffset: 6 * row, as: Vec.self)
    out.storeBytes(of: c6b, toByteOffset: 6 * row + half, as: Vec.self)
    out.storeBytes(of: c7a, toByteOffset: 7 * row, as: Vec.self)
    out.storeBytes(of: c7b, toByteOffset: 7 * row + half, as: Vec.self)
    out.storeBytes(of: c8a, toByteOffset: 8 * row, as: Vec.self)
    out.storeBytes(of: c8b, toByteOffset: 8 * row + half, as: Vec.self)
    out.storeBytes(of: c9a, toByteOffset: 9 * row, as: Vec.self)
    out.storeBytes(of: c9b, toByteOffset: 9 * row + half, as: Vec.self)
    out.storeBytes(of: c10a, toByteOffset: 10 * row, as: Vec.self)
    out.storeBytes(of: c10b, toByteOffset: 10 * row + half, as: Vec.self)
    out.storeBytes(of: c11a, toByteOffset: 11 * row, as: Vec.self)
    out.storeBytes(of: c11b, toByteOffset: 11 * row + half, as: Vec.self)
}

/// As `microKernel12` from zero (a full-depth reduction), but B row k starts at `b + offsets[k]`
/// (implicit GEMM over phase planes).
func microKernel12Indexed(_ count: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                    _ offsets: UnsafePointer<Int>, _ tile: UnsafeMutablePointer<Float>) {
    var c0a = Vec(), c0b = Vec()
    var c1a = Vec(), c1b = Vec()
    var c2a = Vec(), c2b = Vec()
    var c3a = Vec(), c3b = Vec()
    var c4a = Vec(), c4b = Vec()
    var c5a = Vec(), c5b = Vec()
    var c6a = Vec(), c6b = Vec()
    var c7a = Vec(), c7b = Vec()
    var c8a = Vec(), c8b = Vec()
    var c9a = Vec(), c9b = Vec()
    var c10a = Vec(), c10b = Vec()
    var c11a = Vec(), c11b = Vec()
    var ap = a
    let half = Vec.scalarCount * MemoryLayout<Float>.stride
    for k in 0..<count {
        let bp = UnsafeRawPointer(b + offsets[k])
        let b0 = bp.loadUnaligned(as: Vec.self)
        let b1 = bp.loadUnaligned(fromByteOffset: half, as: Vec.self)
        var w = Vec(repeating: ap[0])
        multiplyAdd(&c0a, w, b0)
        multiplyAdd(&c0b, w, b1)
        w = Vec(repeating: ap[1])
        multiplyAdd(&c1a, w, b0)
        multiplyAdd(&c1b, w, b1)
        w = Vec(repeating: ap[2])
        multiplyAdd(&c2a, w, b0)
        multiplyAdd(&c2b, w, b1)
        w = Vec(repeating: ap[3])
        multiplyAdd(&c3a, w, b0)
        multiplyAdd(&c3b, w, b1)
        w = Vec(repeating: ap[4])
        multiplyAdd(&c4a, w, b0)
        multiplyAdd(&c4b, w, b1)
        w = Vec(repeating: ap[5])
        multiplyAdd(&c5a, w, b0)
        multiplyAdd(&c5b, w, b1)
        w = Vec(repeating: ap[6])
        multiplyAdd(&c6a, w, b0)
        multiplyAdd(&c6b, w, b1)
        w = Vec(repeating: ap[7])
        multiplyAdd(&c7a, w, b0)
        multiplyAdd(&c7b, w, b1)
        w = Vec(repeating: ap[8])
        multiplyAdd(&c8a, w, b0)
        multiplyAdd(&c8b, w, b1)
        w = Vec(repeating: ap[9])
        multiplyAdd(&c9a, w, b0)
        multiplyAdd(&c9b, w, b1)
        w = Vec(repeating: ap[10])
        multiplyAdd(&c10a, w, b0)
        multiplyAdd(&c10b, w, b1)
        w = Vec(repeating: ap[11])
        multiplyAdd(&c11a, w, b0)
        multiplyAdd(&c11b, w, b1)
        ap += 12
    }
    let out = UnsafeMutableRawPointer(tile)
    let row = 2 * half
    out.storeBytes(of: c0a, toByteOffset: 0 * row, as: Vec.self)
    out.storeBytes(of: c0b, toByteOffset: 0 * row + half, as: Vec.self)
    out.storeBytes(of: c1a, toByteOffset: 1 * row, as: Vec.self)
    out.storeBytes(of: c1b, toByteOffset: 1 * row + half, as: Vec.self)
    out.storeBytes(of: c2a, toByteOffset: 2 * row, as: Vec.self)
    out.storeBytes(of: c2b, toByteOffset: 2 * row + half, as: Vec.self)
    out.storeBytes(of: c3a, toByteOffset: 3 * row, as: Vec.self)
    out.storeBytes(of: c3b, toByteOffset: 3 * row + half, as: Vec.self)
    out.storeBytes(of: c4a, toByteOffset: 4 * row, as: Vec.self)
    out.storeBytes(of: c4b, toByteOffset: 4 * row + half, as: Vec.self)
    out.storeBytes(of: c5a, toByteOffset: 5 * row, as: Vec.self)
    out.storeBytes(of: c5b, toByteOffset: 5 * row + half, as: Vec.self)
    out.storeBytes(of: c6a, toByteOffset: 6 * row, as: Vec.self)
    out.storeBytes(of: c6b, toByteOffset: 6 * row + half, as: Vec.self)
    out.storeBytes(of: c7a, toByteOffset: 7 * row, as: Vec.self)
    out.storeBytes(of: c7b, toByteOffset: 7 * row + half, as: Vec.self)
    out.storeBytes(of: c8a, toByteOffset: 8 * row, as: Vec.self)
    out.storeBytes(of: c8b, toByteOffset: 8 * row + half, as: Vec.self)
    out.storeBytes(of: c9a, toByteOffset: 9 * row, as: Vec.self)
    out.storeBytes(of: c9b, toByteOffset: 9 * row + half, as: Vec.self)
    out.storeBytes(of: c10a, toByteOffset: 10 * row, as: Vec.self)
    out.storeBytes(of: c10b, toByteOffset: 10 * row + half, as: Vec.self)
    out.storeBytes(of: c11a, toByteOffset: 11 * row, as: Vec.self)
    out.storeBytes(of: c11b, toByteOffset: 11 * row + half, as: Vec.self)
}

/// A `6` × 2-vector tile: `tile[r][j] = Σₖ a[k·6 + r] · b[k·bStride + j]` over `count` k.
/// `a` is one packed weight block (`[count][6]`), `b` the first of `count` rows of
/// `2·Vec.scalarCount` pixels, `bStride` floats apart. The reduction stays in registers; `tile`
/// (row-major, 2 vectors per row) is read at the start if `accumulate` (the sum so far) and
/// written once, at the end.
func microKernel6(_ count: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                    _ bStride: Int, _ tile: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
    var c0a = start(tile, 0, 0, accumulate), c0b = start(tile, 0, 1, accumulate)
    var c1a = start(tile, 1, 0, accumulate), c1b = start(tile, 1, 1, accumulate)
    var c2a = start(tile, 2, 0, accumulate), c2b = start(tile, 2, 1, accumulate)
    var c3a = start(tile, 3, 0, accumulate), c3b = start(tile, 3, 1, accumulate)
    var c4a = start(tile, 4, 0, accumulate), c4b = start(tile, 4, 1, accumulate)
    var c5a = start(tile, 5, 0, accumulate), c5b = start(tile, 5, 1, accumulate)
    var ap = a
    let half = Vec.scalarCount * MemoryLayout<Float>.stride
    var bp = UnsafeRawPointer(b)
    let rowBytes = bStride * MemoryLayout<Float>.stride
    for _ in 0..<count {
        let b0 = bp.loadUnaligned(as: Vec.self)
        let b1 = bp.loadUnaligned(fromByteOffset: half, as: Vec.self)
        var w = Vec(repeating: ap[0])
        multiplyAdd(&c0a, w, b0)
        multiplyAdd(&c0b, w, b1)
        w = Vec(repeating: ap[1])
        multiplyAdd(&c1a, w, b0)
        multiplyAdd(&c1b, w, b1)
        w = Vec(repeating: ap[2])
        multiplyAdd(&c2a, w, b0)
        multiplyAdd(&c2b, w, b1)
        w = Vec(repeating: ap[3])
        multiplyAdd(&c3a, w, b0)
        multiplyAdd(&c3b, w, b1)
        w = Vec(repeating: ap[4])
        multiplyAdd(&c4a, w, b0)
        multiplyAdd(&c4b, w, b1)
        w = Vec(repeating: ap[5])
        multiplyAdd(&c5a, w, b0)
        multiplyAdd(&c5b, w, b1)
        ap += 6
        bp += rowBytes
    }
    let out = UnsafeMutableRawPointer(tile)
    let row = 2 * half
    out.storeBytes(of: c0a, toByteOffset: 0 * row, as: Vec.self)
    out.storeBytes(of: c0b, toByteOffset: 0 * row + half, as: Vec.self)
    out.storeBytes(of: c1a, toByteOffset: 1 * row, as: Vec.self)
    out.storeBytes(of: c1b, toByteOffset: 1 * row + half, as: Vec.self)
    out.storeBytes(of: c2a, toByteOffset: 2 * row, as: Vec.self)
    out.storeBytes(of: c2b, toByteOffset: 2 * row + half, as: Vec.self)
    out.storeBytes(of: c3a, toByteOffset: 3 * row, as: Vec.self)
    out.storeBytes(of: c3b, toByteOffset: 3 * row + half, as: Vec.self)
    out.storeBytes(of: c4a, toByteOffset: 4 * row, as: Vec.self)
    out.storeBytes(of: c4b, toByteOffset: 4 * row + half, as: Vec.self)
    out.storeBytes(of: c5a, toByteOffset: 5 * row, as: Vec.self)
    out.storeBytes(of: c5b, toByteOffset: 5 * row + half, as: Vec.self)
}

/// As `microKernel6` from zero (a full-depth reduction), but B row k starts at `b + offsets[k]`
/// (implicit GEMM over phase planes).
func microKernel6Indexed(_ count: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                    _ offsets: UnsafePointer<Int>, _ tile: UnsafeMutablePointer<Float>) {
    var c0a = Vec(), c0b = Vec()
    var c1a = Vec(), c1b = Vec()
    var c2a = Vec(), c2b = Vec()
    var c3a = Vec(), c3b = Vec()
    var c4a = Vec(), c4b = Vec()
    var c5a = Vec(), c5b = Vec()
    var ap = a
    let half = Vec.scalarCount * MemoryLayout<Float>.stride
    for k in 0..<count {
        let bp = UnsafeRawPointer(b + offsets[k])
        let b0 = bp.loadUnaligned(as: Vec.self)
        let b1 = bp.loadUnaligned(fromByteOffset: half, as: Vec.self)
        var w = Vec(repeating: ap[0])
        multiplyAdd(&c0a, w, b0)
        multiplyAdd(&c0b, w, b1)
        w = Vec(repeating: ap[1])
        multiplyAdd(&c1a, w, b0)
        multiplyAdd(&c1b, w, b1)
        w = Vec(repeating: ap[2])
        multiplyAdd(&c2a, w, b0)
        multiplyAdd(&c2b, w, b1)
        w = Vec(repeating: ap[3])
        multiplyAdd(&c3a, w, b0)
        multiplyAdd(&c3b, w, b1)
        w = Vec(repeating: ap[4])
        multiplyAdd(&c4a, w, b0)
        multiplyAdd(&c4b, w, b1)
        w = Vec(repeating: ap[5])
        multiplyAdd(&c5a, w, b0)
        multiplyAdd(&c5b, w, b1)
        ap += 6
    }
    let out = UnsafeMutableRawPointer(tile)
    let row = 2 * half
    out.storeBytes(of: c0a, toByteOffset: 0 * row, as: Vec.self)
    out.storeBytes(of: c0b, toByteOffset: 0 * row + half, as: Vec.self)
    out.storeBytes(of: c1a, toByteOffset: 1 * row, as: Vec.self)
    out.storeBytes(of: c1b, toByteOffset: 1 * row + half, as: Vec.self)
    out.storeBytes(of: c2a, toByteOffset: 2 * row, as: Vec.self)
    out.storeBytes(of: c2b, toByteOffset: 2 * row + half, as: Vec.self)
    out.storeBytes(of: c3a, toByteOffset: 3 * row, as: Vec.self)
    out.storeBytes(of: c3b, toByteOffset: 3 * row + half, as: Vec.self)
    out.storeBytes(of: c4a, toByteOffset: 4 * row, as: Vec.self)
    out.storeBytes(of: c4b, toByteOffset: 4 * row + half, as: Vec.self)
    out.storeBytes(of: c5a, toByteOffset: 5 * row, as: Vec.self)
    out.storeBytes(of: c5b, toByteOffset: 5 * row + half, as: Vec.self)
}

/// Runs this module's micro-kernel (`KernelTile.rows` rows) over B rows `bStride` apart.
@inline(__always)
func microKernel(_ count: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ bStride: Int,
                 _ tile: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
    if KernelTile.rows == 12 {
        microKernel12(count, a, b, bStride, tile, accumulate)
    } else {
        microKernel6(count, a, b, bStride, tile, accumulate)
    }
}

/// Runs this module's micro-kernel over B rows at `b + offsets[k]`.
@inline(__always)
func microKernel(_ count: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, offsets: UnsafePointer<Int>,
                 _ tile: UnsafeMutablePointer<Float>) {
    if KernelTile.rows == 12 {
        microKernel12Indexed(count, a, b, offsets, tile)
    } else {
        microKernel6Indexed(count, a, b, offsets, tile)
    }
}

/// Accumulator `(row, half)` of a tile at the start of a reduction: zero, or (`accumulate`) the
/// partial sum stored in `tile` by the previous depth chunk, so the summation order is unchanged.
@inline(__always)
private func start(_ tile: UnsafeMutablePointer<Float>, _ row: Int, _ half: Int, _ accumulate: Bool) -> Vec {
    accumulate ? UnsafeRawPointer(tile + (2 * row + half) * Vec.scalarCount).loadUnaligned(as: Vec.self) : Vec()
}
