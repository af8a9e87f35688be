// Writing `.rnc` files: header, sorted-keys JSON plan, zero padding to 64 bytes, float32 weights.

import Foundation

/// Encodes and writes compiled models in the `.rnc` container (see RNCLayout).
public enum RNCFile {
    /// The bytes of a `.rnc` file for `plan` and its weight blob. The plan is validated first,
    /// and `weights.count` must equal `plan.weightFloats`.
    public static func encode(plan: Plan, weights: [Float]) throws(RuntimeError) -> [UInt8] {
        try PlanValidator.validate(plan)
        guard weights.count == plan.weightFloats else {
            throw .invalidPlan(step: "plan", reason: "weight blob has \(weights.count) floats, the plan declares \(plan.weightFloats)")
        }
        let json: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            json = try encoder.encode(plan)
        } catch {
            throw .malformedPlan(path: plan.name, reason: "cannot encode plan as JSON: \(error)")
        }
        let planEnd = RNCLayout.headerSize + json.count
        let weightsOffset = (planEnd + RNCLayout.weightAlignment - 1) / RNCLayout.weightAlignment
            * RNCLayout.weightAlignment
        var bytes = [UInt8]()
        bytes.reserveCapacity(weightsOffset + 4 * weights.count)
        bytes.append(contentsOf: RNCLayout.magic)
        bytes.appendLittleEndian(RNCLayout.version)
        bytes.appendLittleEndian(UInt32(RNCLayout.headerSize))
        bytes.appendLittleEndian(UInt64(RNCLayout.headerSize))
        bytes.appendLittleEndian(UInt64(json.count))
        bytes.appendLittleEndian(UInt64(weightsOffset))
        bytes.appendLittleEndian(UInt64(4 * weights.count))
        bytes.appendLittleEndian(UInt64(0))  // checksum, filled in below
        bytes.appendLittleEndian(UInt64(0))  // reserved
        bytes.append(contentsOf: json)
        bytes.append(contentsOf: repeatElement(0, count: weightsOffset - planEnd))
        appendFloats(weights, to: &bytes)
        let checksum = bytes.withUnsafeBytes { Checksum.hash(UnsafeRawBufferPointer(rebasing: $0[RNCLayout.headerSize...])) }
        bytes.storeLittleEndian(checksum, at: RNCLayout.checksumField)
        return bytes
    }

    /// Encodes and writes a model file to `path` (atomically).
    public static func write(plan: Plan, weights: [Float], to path: String) throws(RuntimeError) {
        let bytes = try encode(plan: plan, weights: weights)
        try writeBytes(bytes, to: path)
    }

    /// Writes raw bytes to `path`, mapping failures to `.unwritable`.
    static func writeBytes(_ bytes: [UInt8], to path: String) throws(RuntimeError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .unwritable(path: path, reason: "directory '\(directory)' does not exist")
        }
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
    }

    /// Appends float32 values in little-endian byte order.
    private static func appendFloats(_ floats: [Float], to bytes: inout [UInt8]) {
        #if _endian(little)
        floats.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for value in floats { bytes.appendLittleEndian(value.bitPattern) }
        #endif
    }
}
