// classify MODEL.rnc INPUT.npy: runs a compiled model on one input, prints the top-5 classes.
import Foundation
import ResNetRuntime

/// The top five classes of one row of logits, in `resnetc run`'s format.
func topFive(_ row: [Float]) -> [String] {
    let largest = row.max() ?? 0, exps = row.map { exp(Double($0 - largest)) }, total = exps.reduce(0, +)
    let ranked = row.indices.sorted { row[$0] != row[$1] ? row[$0] > row[$1] : $0 < $1 }
    return ranked.prefix(5).enumerated().map { rank, i in
        String(format: "  %2d. class %4d  score %12.6g  p %.4f", rank + 1, i, row[i], exps[i] / total)
    }
}

let arguments = CommandLine.arguments
do {
    guard arguments.count == 3 else { FileHandle.standardError.write(Data("usage: classify MODEL.rnc INPUT.npy\n".utf8)); exit(2) }
    let model = try Model(contentsOf: arguments[1])  // memory-mapped and checked; weights used in place
    let session = try Session(model: model, threads: ProcessInfo.processInfo.activeProcessorCount)
    let outputs = try session.run([try NPY.read(path: arguments[2])])
    for (output, tensor) in zip(model.outputs, outputs) {
        print("output '\(output.name)' \(output.shape.shapeDescription)")
        let width = max(output.shape.last ?? 1, 1), rows = output.count / width
        for row in 0..<rows {
            if rows > 1 { print("  [\(row)]") }
            topFive(Array(tensor.data[row * width..<(row + 1) * width])).forEach { print($0) }
        }
    }
} catch {
    FileHandle.standardError.write(Data("classify: \(error)\n".utf8))
    exit(1)
}
