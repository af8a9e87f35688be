// Accuracy of a model over a labelled dataset held in NumPy arrays: batches of the model's own
// batch size (the last one zero-padded), top-1 and top-5, and each sample's predicted class.
import Foundation
import ResNetRuntime

/// Samples and their true classes, checked against each other; samples are read on demand so
/// a folder of images is never held in memory at once.
struct LabelledDataset {
    /// The shape of one sample (the model input without its batch dimension), when known in
    /// advance (NumPy arrays); image folders make each sample in the model's own shape.
    var sampleShape: [Int]?
    /// N class indices.
    var classes: [Int]
    /// Sample `i`'s floats, in the model input's layout without the batch dimension.
    var sample: (Int) throws -> [Float]

    /// Loads `imagesPath` and `targetsPath` (.npy) and checks that they fit each other.
    static func load(images imagesPath: String, targets targetsPath: String) throws -> LabelledDataset {
        let images = try NPY.read(path: imagesPath)
        let targets = try NPY.read(path: targetsPath)
        guard let count = images.shape.first, images.shape.count >= 2, count > 0 else {
            throw EvaluationError("\(imagesPath): expected a batch of samples [N, ...], found shape \(images.shape.shapeDescription)")
        }
        guard targets.shape == [count] else {
            throw EvaluationError("\(targetsPath): expected \(count) class indices (shape \(count)), found shape \(targets.shape.shapeDescription)")
        }
        var classes: [Int] = []
        classes.reserveCapacity(count)
        for (index, value) in targets.data.enumerated() {
            guard value.isFinite, value >= 0, value == value.rounded(), value < 1e9 else {
                throw EvaluationError("\(targetsPath): entry \(index) is \(value), not a class index")
            }
            classes.append(Int(value))
        }
        let sampleShape = Array(images.shape.dropFirst()), size = sampleShape.reduce(1, *)
        return LabelledDataset(sampleShape: sampleShape, classes: classes) { i in
            Array(images.data[(i * size)..<((i + 1) * size)])
        }
    }
}

/// What an evaluation found.
struct EvaluationResult {
    var samples: Int
    var top1: Int
    var top5: Int
    /// The arg-max class of each sample.
    var predictions: [Int]
}

/// A dataset or model that does not fit the evaluation.
struct EvaluationError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum Evaluator {
    /// Runs `session` over `dataset`, `progress` called with the samples done so far.
    static func evaluate(_ session: Session, on dataset: LabelledDataset,
                         progress: (Int) -> Void = { _ in }) throws -> EvaluationResult {
        let plan = session.model.plan
        guard plan.inputs.count == 1, plan.outputs.count == 1, let inputShape = plan.inputs.first?.tensor.shape,
              let outputShape = plan.outputs.first?.tensor.shape, outputShape.count == 2 else {
            throw EvaluationError("eval needs a model with one input and one [N, classes] output")
        }
        let batch = inputShape[0], classes = outputShape[1]
        let sampleShape = Array(inputShape.dropFirst())
        if let datasetShape = dataset.sampleShape, datasetShape != sampleShape {
            throw EvaluationError("dataset samples have shape \(datasetShape.shapeDescription), "
                + "the model's input '\(plan.inputs[0].name)' takes \(sampleShape.shapeDescription)")
        }
        if let bad = dataset.classes.firstIndex(where: { $0 >= classes }) {
            throw EvaluationError("target \(bad) is class \(dataset.classes[bad]), the model has \(classes) classes")
        }
        let sampleSize = sampleShape.reduce(1, *)
        let count = dataset.classes.count
        var result = EvaluationResult(samples: count, top1: 0, top5: 0, predictions: [])
        var input = [Float](repeating: 0, count: batch * sampleSize)
        var output = [Float](repeating: 0, count: batch * classes)
        for start in stride(from: 0, to: count, by: batch) {
            let filled = min(batch, count - start)
            for row in 0..<batch {
                let values = row < filled ? try dataset.sample(start + row) : [Float](repeating: 0, count: sampleSize)
                guard values.count == sampleSize else {
                    throw EvaluationError("sample \(start + row) has \(values.count) values, the model's input takes \(sampleSize)")
                }
                input.replaceSubrange((row * sampleSize)..<((row + 1) * sampleSize), with: values)
            }
            try input.withUnsafeBufferPointer { inBuffer in
                try output.withUnsafeMutableBufferPointer { try session.run(input: inBuffer, output: $0) }
            }
            for row in 0..<filled {
                let logits = output[row * classes..<(row + 1) * classes]
                let truth = dataset.classes[start + row]
                // Rank of the true class: how many classes score strictly higher (ties favour the
                // lower index, as arg-max does).
                let target = logits[logits.startIndex + truth]
                var rank = 0
                for (offset, value) in logits.enumerated() where value > target || (value == target && offset < truth) {
                    rank += 1
                }
                let best = logits.indices.max { logits[$0] < logits[$1] || (logits[$0] == logits[$1] && $0 > $1) }!
                result.predictions.append(best - logits.startIndex)
                if rank == 0 { result.top1 += 1 }
                if rank < 5 { result.top5 += 1 }
            }
            progress(start + filled)
        }
        return result
    }
}
