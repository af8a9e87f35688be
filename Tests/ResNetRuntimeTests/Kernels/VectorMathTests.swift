// VectorMath.exp: within 2 ulp of the true e^x over the normal range (checked in Double against
// Foundation's exp), the same bits on 1, 4, 8 and 16 lanes, +∞ above the overflow, 0 below the
// normal floats, NaN kept.

import Foundation
import ResNetKernelABI
import Testing

@Suite("Vector exp")
struct VectorMathTests {
    @Test("within 2 ulp of e^x from −87.3 to 88.7, the same bits on every width")
    func accuracy() {
        var worst = 0.0
        var x: Float = -87.3
        while x < 88.7 {
            let lanes = SIMD16<Float>((0..<16).map { x + Float($0) * 0.000_37 })
            let wide = VectorMath.exp(lanes)
            for lane in 0..<16 {
                let value = lanes[lane], got = wide[lane]
                let exact = Foundation.exp(Double(value))
                worst = max(worst, abs(Double(got) - exact) / Double(Float(exact).ulp))
                #expect(got == VectorMath.exp(value), "scalar at \(value)")
            }
            let eight = VectorMath.exp(lanes.lowHalf), four = VectorMath.exp(lanes.lowHalf.lowHalf)
            #expect(wide.lowHalf == eight && wide.lowHalf.lowHalf == four, "widths at \(x)")
            x += 0.0131
        }
        #expect(worst <= 2, "worst error \(worst) ulp")
    }

    @Test("overflow, underflow, zero and NaN")
    func edges() {
        let x = SIMD8<Float>(0, 88.8, 1000, .infinity, -87.5, -1000, -.infinity, .nan)
        let y = VectorMath.exp(x)
        #expect(y[0] == 1)
        #expect(y[1] == .infinity && y[2] == .infinity && y[3] == .infinity)
        #expect(y[4] == 0 && y[5] == 0 && y[6] == 0)
        #expect(y[7].isNaN)
        #expect(VectorMath.exp(Float(88.72)).isFinite && VectorMath.exp(Float(88.72)) > 3e38)
    }
}
