// A value flowing between nodes in the reference interpreter: shape plus Double elements.

/// A dense Double tensor in C order, used only inside the reference interpreter.
struct ReferenceValue {
    var shape: [Int]
    var data: [Double]
}
