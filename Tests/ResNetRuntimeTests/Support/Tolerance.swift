// Comparison of kernel outputs against Double references.
// Tolerance: every |actual − reference| ≤ 1e-5 · max|reference| (plus 1e-30 so all-zero
// references demand exact zeros). Float accumulation over ≤ ~1000 terms stays well inside it.

import Testing

/// The largest error allowed for a reference whose biggest magnitude is `scale`.
func tolerance(forScale scale: Double) -> Double { 1e-5 * scale + 1e-30 }

/// Expects `actual` to match `reference` elementwise within the tolerance above.
func expectClose(_ actual: [Float], _ reference: [Double], _ label: String,
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
    #expect(worst <= tolerance(forScale: scale),
            "\(label): max error \(worst) at \(worstIndex) (ref \(reference[worstIndex]), got \(actual[worstIndex])), scale \(scale)",
            sourceLocation: sourceLocation)
}
