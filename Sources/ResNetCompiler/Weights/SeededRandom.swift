// Integer-only randomness: SplitMix64 streams keyed by FNV-1a, identical bits on every machine.

/// SplitMix64: a tiny, well-mixed 64-bit generator using only integer arithmetic.
public struct SplitMix64: Sendable {
    private var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) from the top 24 bits, so every value is exact in Float.
    public mutating func unit() -> Float {
        Float(next() >> 40) * Float(sign: .plus, exponent: -24, significand: 1)
    }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * unit()
    }

    /// Roughly N(0, 1): the centred sum of four uniforms scaled to unit variance.
    public mutating func normalish() -> Float {
        let sum = unit() + unit() + unit() + unit()
        return (sum - 2) * Float(3).squareRoot()
    }

    /// FNV-1a 64-bit hash of a string's UTF-8 bytes: stable across runs and platforms.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The stream for one named tensor under a global seed.
    public static func stream(seed: UInt64, key: String) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ fnv1a(key))
        return SplitMix64(seed: mixer.next())
    }
}
