// Every failure the runtime reports: file format, plan validation, session use and .npy I/O.
// Each case carries what a one-line message needs: the file or tensor, expected vs found.

/// An error from loading a model, validating a plan, running a session or reading `.npy` data.
public enum RuntimeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not exist.
    case fileNotFound(path: String)
    /// The file exists but could not be opened, inspected or mapped.
    case unreadable(path: String, reason: String)
    /// The file could not be created or written.
    case unwritable(path: String, reason: String)
    /// The file does not start with the `.rnc` magic bytes.
    case notAModel(path: String)
    /// The file's format version is not the one this runtime reads.
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    /// The header describes a layout that cannot be right (header size, alignment, overlap).
    case corruptHeader(path: String, reason: String)
    /// The file is shorter than its header says; sizes in bytes.
    case truncated(path: String, expected: Int, found: Int)
    /// The stored checksum does not match the plan and weight bytes.
    case checksumMismatch(path: String, expected: UInt64, found: UInt64)
    /// The plan section is not a valid JSON `Plan`.
    case malformedPlan(path: String, reason: String)
    /// The plan decoded but is inconsistent; `step` names the step (or `plan` / a binding).
    case invalidPlan(step: String, reason: String)
    /// A memory allocation failed.
    case outOfMemory(bytes: Int)
    /// The model needs more memory than a `RuntimeLimits` value (`setting`) allows.
    case limitExceeded(path: String, what: String, bytes: Int, limit: Int, setting: String)
    /// The operating system refused to start a session's worker threads.
    case threadStart(threads: Int)
    /// `run` got the wrong number of input tensors.
    case inputCount(expected: Int, found: Int)
    /// An input tensor has the wrong shape.
    case inputShape(name: String, expected: [Int], found: [Int])
    /// A caller buffer has the wrong number of floats.
    case bufferSize(name: String, expected: Int, found: Int)
    /// A `.npy` file or byte string is malformed or unsupported.
    case npy(path: String, reason: String)

    /// A one-line message naming the file or tensor and what was expected vs found.
    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file"
        case .unreadable(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .unwritable(let path, let reason):
            return "\(path): cannot write: \(reason)"
        case .notAModel(let path):
            return "\(path): not a resnetc model (bad magic bytes)"
        case .unsupportedVersion(let path, let found, let supported):
            return "\(path): unsupported model format version \(found) (this runtime reads version \(supported))"
        case .corruptHeader(let path, let reason):
            return "\(path): corrupt header: \(reason)"
        case .truncated(let path, let expected, let found):
            return "\(path): truncated: expected at least \(expected) bytes, found \(found)"
        case .checksumMismatch(let path, let expected, let found):
            return "\(path): checksum mismatch: header says \(hex(expected)), contents hash to \(hex(found))"
        case .malformedPlan(let path, let reason):
            return "\(path): malformed plan: \(reason)"
        case .invalidPlan(let step, let reason):
            return "invalid plan at '\(step)': \(reason)"
        case .outOfMemory(let bytes):
            return "out of memory: cannot allocate \(bytes) bytes"
        case .limitExceeded(let path, let what, let bytes, let limit, let setting):
            return "\(path): the \(what) needs \(bytes) bytes, more than the limit of \(limit) "
                + "(RuntimeLimits.\(setting))"
        case .threadStart(let threads):
            return "cannot start \(threads - 1) worker thread\(threads == 2 ? "" : "s") for a \(threads)-thread session"
        case .inputCount(let expected, let found):
            return "expected \(expected) input tensor\(expected == 1 ? "" : "s"), found \(found)"
        case .inputShape(let name, let expected, let found):
            return "input '\(name)': expected shape \(expected.shapeDescription), found \(found.shapeDescription)"
        case .bufferSize(let name, let expected, let found):
            return "buffer for '\(name)': expected \(expected) floats, found \(found)"
        case .npy(let path, let reason):
            return "\(path): invalid .npy: \(reason)"
        }
    }
}

/// `0x00000000deadbeef` for checksum messages.
private func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
}
