// The portable flavour of the shared kernel sources: 4-lane vectors (SSE2 on baseline x86-64,
// NEON elsewhere), 6 × 8 register tiles, separate multiply and add: without target flags a
// fused multiply-add would become a libm call per lane.

/// The vector type every shared kernel source computes with in this module.
typealias Vec = SIMD4<Float>

/// The register tile this module's micro-kernel computes: output channels × output pixels.
public enum KernelTile {
    /// Output channels per tile.
    public static let rows = 6
    /// Output pixels per tile (two vectors).
    public static let pixels = 2 * Vec.scalarCount
}

/// `acc += a · b` with two roundings (baseline x86-64 has no FMA instruction).
@inline(__always)
func multiplyAdd(_ acc: inout Vec, _ a: Vec, _ b: Vec) { acc += a * b }

/// One 16-channel block of an nChw16c tensor (four xmm registers here).
typealias Block = SIMD16<Float>

/// `acc += a · b` on whole blocks, two roundings (no FMA instruction at this level).
@inline(__always)
func multiplyAdd(_ acc: inout Block, _ a: Block, _ b: Block) { acc += a * b }
