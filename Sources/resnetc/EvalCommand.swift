// `resnetc eval`: top-1/top-5 accuracy of a model over a labelled dataset — NumPy arrays, or a
// folder of images with a CSV of labels — with a progress bar on a terminal and, on request,
// every prediction written out.
import Foundation
import ResNetCompiler
import ResNetRuntime

enum EvalCommand {
    static func run(_ argv: [String]) throws {
        if argv.contains("--help") || argv.contains("-h") { throw HelpRequested(text: Help.eval) }
        let args = try Arguments(argv, options: ["--dataset", "--targets", "--labels-csv", "--preprocess", "--predictions", "--threads"] + SourceOptions.names + KernelFlags.names,
                                 flags: ["--json"] + SourceOptions.flags + KernelFlags.flags)
        let path = try args.single("a model (.rnc or .net) to evaluate")
        guard let imagesPath = args.string("--dataset") else {
            throw UsageError(description: "eval needs --dataset IMAGES.npy and --targets CLASSES.npy, or --dataset DIR (a folder of images with labels.csv)")
        }
        if let value = args.string("--preprocess"), value != "none" {
            throw UsageError(description: "--preprocess takes only 'none' (without it the model's own preprocessing applies), found '\(value)'")
        }
        let threads = try args.int("--threads", in: 1...1024) ?? defaultThreadCount()
        var isDirectory: ObjCBool = false
        let isFolder = FileManager.default.fileExists(atPath: imagesPath, isDirectory: &isDirectory) && isDirectory.boolValue
        let targetsPath = args.string("--targets")
        if !isFolder && targetsPath == nil {
            throw UsageError(description: "eval needs --dataset IMAGES.npy and --targets CLASSES.npy (or --dataset DIR, a folder of images with labels.csv)")
        }
        let loaded = try ModelSource.load(path, args: args)
        let dataset: LabelledDataset
        if let targetsPath, !isFolder {
            dataset = try LabelledDataset.load(images: imagesPath, targets: targetsPath)
        } else {
            dataset = try ImageFolderDataset.load(directory: imagesPath, csvPath: args.string("--labels-csv"),
                                                  model: loaded.model, preprocess: args.string("--preprocess") != "none")
        }
        let session = try Session(model: loaded.model, threads: threads, kernels: try KernelFlags.options(args))
        let bar = ProgressBar(total: dataset.classes.count, enabled: isatty(STDERR_FILENO) == 1 && !args.flag("--json"))
        let result = try Evaluator.evaluate(session, on: dataset) { bar.update($0) }
        bar.finish()
        if let predictionsPath = args.string("--predictions") {
            try NPY.write(Tensor(shape: [result.samples], data: result.predictions.map(Float.init)), to: predictionsPath)
        }
        let top1 = Double(result.top1) / Double(result.samples), top5 = Double(result.top5) / Double(result.samples)
        if args.flag("--json") {
            let object: [String: Any] = ["model": loaded.model.plan.name, "samples": result.samples,
                                         "top1": top1, "top5": top5, "top1_correct": result.top1, "top5_correct": result.top5]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "%@: top-1 %.2f%% (%d/%d), top-5 %.2f%% (%d/%d)", loaded.model.plan.name,
                         top1 * 100, result.top1, result.samples, top5 * 100, result.top5, result.samples))
        }
    }
}

/// `[##########          ] 180/360` redrawn in place on standard error.
final class ProgressBar {
    private let total: Int
    private let enabled: Bool
    private var lastWidth = -1

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled && total > 0
    }

    func update(_ done: Int) {
        guard enabled else { return }
        let width = 30 * done / total
        guard width != lastWidth || done == total else { return }
        lastWidth = width
        let bar = String(repeating: "#", count: width) + String(repeating: " ", count: 30 - width)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total)".utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
