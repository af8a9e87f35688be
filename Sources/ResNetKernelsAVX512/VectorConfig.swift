// The AVX-512 flavour of the shared kernel sources: 16-lane vectors, 12 × 32 register tiles
// (24 zmm accumulators), fused multiply-add. This module is compiled with -march=x86-64-v4.

/// The vector type every shared kernel source computes with in this module.
typealias Vec = SIMD16<Float>

/// The register tile this module's micro-kernel computes: output channels × output pixels.
public enum KernelTile {
    /// Output channels per tile.
    public static let rows = 12
    /// Output pixels per tile (two vectors).
    public static let pixels = 2 * Vec.scalarCount
}

/// `acc += a · b`, one rounding (a zmm FMA under this module's flags).
@inline(__always)
func multiplyAdd(_ acc: inout Vec, _ a: Vec, _ b: Vec) { acc.addProduct(a, b) }

/// One 16-channel block of an nChw16c tensor: one zmm register, the same type as `Vec` here
/// (so `multiplyAdd` above serves blocks too).
typealias Block = Vec
