// The element types a safetensors header may name, with their sizes.

/// Element size in bytes of every dtype the safetensors format defines.
enum SafetensorsDType {
    static let sizes: [String: Int] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E4M3": 1, "F8_E5M2": 1,
        "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
        "I32": 4, "U32": 4, "F32": 4,
        "I64": 8, "U64": 8, "F64": 8,
    ]

    /// The dtypes that can be converted to Float weights.
    static let floatTypes: Set<String> = ["F32", "F16", "BF16"]
}
