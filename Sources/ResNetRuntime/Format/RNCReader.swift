// Reading `.rnc` bytes in place: header checks in a fixed order (size, magic, version, layout,
// checksum), then the JSON plan. The weights are located, never copied.

import Foundation

/// What a parsed `.rnc` file holds: the plan and where the weight floats start.
struct RNCContents {
    let plan: Plan
    /// Byte offset of the first weight float (a multiple of 64).
    let weightsOffset: Int
    /// Bytes of weights (4 × floats).
    let weightsLength: Int
}

extension RNCFile {
    /// Checks and decodes a `.rnc` image; `path` names it in errors. Does not run PlanValidator.
    static func parse(_ bytes: UnsafeRawBufferPointer, path: String) throws(RuntimeError) -> RNCContents {
        guard bytes.count >= RNCLayout.headerSize else {
            throw .truncated(path: path, expected: RNCLayout.headerSize, found: bytes.count)
        }
        guard bytes.prefix(8).elementsEqual(RNCLayout.magic) else { throw .notAModel(path: path) }
        let version = bytes.littleEndian(at: RNCLayout.versionOffset, as: UInt32.self)
        guard version == RNCLayout.version else {
            throw .unsupportedVersion(path: path, found: version, supported: RNCLayout.version)
        }
        let headerSize = bytes.littleEndian(at: RNCLayout.headerSizeOffset, as: UInt32.self)
        guard headerSize == RNCLayout.headerSize else {
            throw .corruptHeader(path: path, reason: "header size \(headerSize), expected \(RNCLayout.headerSize)")
        }
        let planOffset = bytes.littleEndian(at: RNCLayout.planOffsetField, as: UInt64.self)
        let planLength = bytes.littleEndian(at: RNCLayout.planLengthField, as: UInt64.self)
        let weightsOffset = bytes.littleEndian(at: RNCLayout.weightsOffsetField, as: UInt64.self)
        let weightsLength = bytes.littleEndian(at: RNCLayout.weightsLengthField, as: UInt64.self)
        try checkLayout(planOffset: planOffset, planLength: planLength, weightsOffset: weightsOffset,
                        weightsLength: weightsLength, path: path)
        let end = weightsOffset + weightsLength  // no overflow: checkLayout bounds both by 2^62
        guard end <= UInt64(bytes.count) else {
            throw .truncated(path: path, expected: Int(end), found: bytes.count)
        }
        // Bytes after the weights mean the header's sizes are wrong (or the file was appended to).
        guard end == UInt64(bytes.count) else {
            throw .corruptHeader(path: path, reason: "the header accounts for \(end) bytes, the file has \(bytes.count)")
        }
        let stored = bytes.littleEndian(at: RNCLayout.checksumField, as: UInt64.self)
        let actual = Checksum.hash(UnsafeRawBufferPointer(rebasing: bytes[RNCLayout.headerSize..<Int(end)]))
        guard stored == actual else { throw .checksumMismatch(path: path, expected: stored, found: actual) }
        let planBytes = UnsafeRawBufferPointer(rebasing: bytes[Int(planOffset)..<Int(planOffset + planLength)])
        let plan = try decodePlan(planBytes, path: path)
        return RNCContents(plan: plan, weightsOffset: Int(weightsOffset), weightsLength: Int(weightsLength))
    }

    /// Rejects header layouts that cannot describe a valid file, whatever its length.
    private static func checkLayout(planOffset: UInt64, planLength: UInt64, weightsOffset: UInt64,
                                    weightsLength: UInt64, path: String) throws(RuntimeError) {
        let limit: UInt64 = 1 << 62
        guard planOffset == UInt64(RNCLayout.headerSize) else {
            throw .corruptHeader(path: path, reason: "plan offset \(planOffset), expected \(RNCLayout.headerSize)")
        }
        guard planLength < limit, weightsOffset < limit, weightsLength < limit else {
            throw .corruptHeader(path: path, reason: "section sizes are impossibly large")
        }
        guard weightsOffset % UInt64(RNCLayout.weightAlignment) == 0, weightsOffset >= planOffset + planLength else {
            throw .corruptHeader(path: path, reason: "weights offset \(weightsOffset) is not a multiple of 64 after the plan (ends at \(planOffset + planLength))")
        }
        guard weightsLength % 4 == 0 else {
            throw .corruptHeader(path: path, reason: "weights length \(weightsLength) is not a whole number of floats")
        }
    }

    /// Decodes the JSON plan section.
    private static func decodePlan(_ bytes: UnsafeRawBufferPointer, path: String) throws(RuntimeError) -> Plan {
        do {
            return try JSONDecoder().decode(Plan.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw .malformedPlan(path: path, reason: describe(error))
        } catch {
            throw .malformedPlan(path: path, reason: "\(error)")
        }
    }

    /// A short one-line account of a JSON decoding failure.
    private static func describe(_ error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
            context = c
        @unknown default:
            return "\(error)"
        }
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return (path.isEmpty ? "" : "at \(path): ") + context.debugDescription
    }
}
