// Writing F32 safetensors files: sorted keys, header space-padded to a multiple of 8.
import Foundation
import ResNetRuntime

/// Encodes tensors as a safetensors image (all F32).
public enum SafetensorsWriter {
    /// The complete file bytes: header length, JSON header, then the tensors in key order.
    public static func encode(_ tensors: [(String, Tensor)], metadata: [String: String] = [:]) -> [UInt8] {
        let sorted = tensors.sorted { $0.0 < $1.0 }
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for (name, tensor) in sorted {
            let end = offset + 4 * tensor.count
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array("{\(fields.joined(separator: ","))}".utf8)
        // The reference implementation pads with spaces so the data buffer is 8-byte aligned.
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        let length = UInt64(header.count)
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: length >> (8 * UInt64(i)))) }
        out += header
        for (_, tensor) in sorted {
            for value in tensor.data {
                let bits = value.bitPattern
                for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt32(i)))) }
            }
        }
        return out
    }

    /// Encodes and writes to `path`.
    public static func write(_ tensors: [(String, Tensor)], metadata: [String: String] = [:],
                             to path: String) throws(WeightError) {
        let bytes = encode(tensors, metadata: metadata)
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            throw WeightError(file: path, problems: ["cannot write the file: \(error.localizedDescription)"])
        }
    }

    /// A JSON string literal with the characters JSON requires escaped.
    private static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
