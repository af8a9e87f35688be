// The AVX2 flavour of the shared kernel sources: 8-lane vectors, 6 × 16 register tiles
// (12 ymm accumulators of 16 registers), fused multiply-add. Compiled with -march=x86-64-v3.

/// The vector type every shared kernel source computes with in this module.
typealias Vec = SIMD8<Float>

/// The register tile this module's micro-kernel computes: output channels × output pixels.
public enum KernelTile {
    /// Output channels per tile.
    public static let rows = 6
    /// Output pixels per tile (two vectors).
    public static let pixels = 2 * Vec.scalarCount
}

/// `acc += a · b`, one rounding (a ymm FMA under this module's flags).
@inline(__always)
func multiplyAdd(_ acc: inout Vec, _ a: Vec, _ b: Vec) { acc.addProduct(a, b) }

/// One 16-channel block of an nChw16c tensor (two ymm halves here).
typealias Block = SIMD16<Float>

/// `acc += a · b` on whole blocks, one rounding per lane.
@inline(__always)
func multiplyAdd(_ acc: inout Block, _ a: Block, _ b: Block) { acc.addProduct(a, b) }
