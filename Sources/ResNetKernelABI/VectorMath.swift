// exp over Float vectors for the sigmoid and SiLU epilogues, the same operations on every lane
// and every path (written for 8 lanes; 16 lanes as two halves, narrower vectors and scalars
// widened to 8; no fused multiply-adds), so every kernel and the scalar loops agree bit for bit.
// Cody-Waite range reduction x = n·ln 2 + r with |r| ≤ ln 2 / 2, the Cephes minimax polynomial
// for e^r (within about 1 ulp of the true value), and 2^n built in the exponent bits. Below
// −87.34 (where e^x leaves the normal floats) the result is 0, above 88.72 +∞; NaN stays NaN. A
// lane-by-lane `expf` call per value made a SiLU epilogue cost more than its conv
// (resnet18_dws_silu's 7×7 stem: 7.5 ms, 31 GFLOP/s).
//
// Every form is transparent, so each kernel module inlines its own copy compiled for its
// instruction set (as `@inline(__always)`, the AVX2 module's SiLU loop called this module's SSE
// copy).

public enum VectorMath {
    /// e^x on every lane. (Written for `SIMD8<Float>`: the same code generic over SIMD types ran
    /// 25× slower, as per-lane loops, even when specialized; written for `SIMD16<Float>`, LLVM
    /// split its selects into 128-bit pieces, on AVX2 and on AVX-512 alike.)
    @_transparent
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let low: Float = -87.33654, high: Float = 88.72283
        let clamped = x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
        // n = round(x · log2 e): adding 1.5 · 2^23 leaves n in the low bits of the sum.
        let shifter: Float = 12_582_912
        let n = (clamped * 1.442_695_04 + shifter) - shifter
        // r = x − n · ln 2, ln 2 in two parts so n · (high part) is exact.
        let r = (clamped - n * 0.693_359_375) - n * -2.121_944_4e-4
        var p = SIMD8<Float>(repeating: 1.987_569_15e-4) * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 0.166_666_655
        p = p * r + 0.500_000_01
        p = p * (r * r) + r + 1
        // 2^n in the exponent bits; n = 128 (x just below the overflow) as 2^127 · 2.
        let top = n .== 128
        let exponent = n.replacing(with: 127, where: top) + shifter
        let bits = unsafeBitCast(exponent, to: SIMD8<Int32>.self) &- SIMD8<Int32>(repeating: 0x4B40_0000 - 127)
        let scale = unsafeBitCast(bits &<< 23, to: SIMD8<Float>.self)
        var result = p.replacing(with: p * 2, where: top) * scale
        result = result.replacing(with: .infinity, where: x .> high).replacing(with: 0, where: x .< low)
        return result.replacing(with: x, where: x .!= x)
    }

    /// e^x on every lane: the 8-lane form on each half.
    @_transparent
    public static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        SIMD16(lowHalf: exp(x.lowHalf), highHalf: exp(x.highHalf))
    }
    /// e^x on every lane, exactly as the 8-lane form.
    @_transparent
    public static func exp(_ x: SIMD4<Float>) -> SIMD4<Float> { exp(SIMD8(lowHalf: x, highHalf: x)).lowHalf }
    /// e^x, exactly as one lane of the vector forms.
    @_transparent
    public static func exp(_ x: Float) -> Float { exp(SIMD8(repeating: x))[0] }
}
