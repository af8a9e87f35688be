// Exact bit-level conversion of IEEE half (F16) and bfloat16 (BF16) values to Float.

/// Converters from 16-bit float encodings to `Float`; exact for every input bit pattern.
public enum HalfPrecision {
    /// IEEE 754 binary16 → Float, including subnormals, infinities and NaN payloads.
    public static func float(fromF16 bits: UInt16) -> Float {
        let sign = UInt32(bits >> 15) << 31
        let exponent = UInt32((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa · 2^-24, exact since both factors are exact in Float.
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            // Re-bias the exponent from 15 to 127 and widen the mantissa from 10 to 23 bits.
            return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
        }
    }

    /// bfloat16 → Float: bfloat16 is the top half of a float32.
    public static func float(fromBF16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }
}
