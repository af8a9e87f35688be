// Comparison of kernel outputs against Double references.
// Tolerance: every |actual − reference| ≤ 1e-5 · max|reference| (plus 1e-30 so all-zero
// references demand exact zeros). Float accumulation over ≤ ~1000 terms stays well inside it.
// Winograd F(4,3) rounds in transforms whose entries reach 5 (Bᵀ), 8 (Aᵀ) and 1/24 (G): its
// errors run 2-4× those of direct sums (measured 1.5-2.7e-5 · max here), so its tests pass
// `relative: winogradF4Relative`.

import Testing

/// The largest error allowed for a reference whose biggest magnitude is `scale`.
func tolerance(forScale scale: Double, relative: Double = 1e-5) -> Double { relative * scale + 1e-30 }

/// The relative tolerance of Winograd F(4,3) results.
let winogradF4Relative = 5e-5

/// Expects `actual` to match `reference` elementwise within the tolerance above.
func expectClose(_ actual: [Float], _ reference: [Double], _ label: String, relative: Double = 1e-5,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == reference.count, "\(label): count", sourceLocation: sourceLocation)
    guard actual.count == reference.count else { return }
    let scale = reference.map(abs).max() ?? 0
    var worst = 0.0
    var worstIndex = 0
    for (i, (a, r)) in zip(actual, reference).enumerated() {
        let error = abs(Double(a) - r)
        if error > worst || error.isNaN { worst = error; worstIndex = i }
    }
    #expect(worst <= tolerance(forScale: scale, relative: relative),
            "\(label): max error \(worst) at \(worstIndex) (ref \(reference[worstIndex]), got \(actual[worstIndex])), scale \(scale)",
            sourceLocation: sourceLocation)
}
