// `resnetc run`: one forward pass on a given or synthetic input (a tensor or an image, read
// through the model's preprocessing); prints the top classes, named when the model has labels.
import Foundation
import ResNetCompiler
import ResNetRuntime

enum RunCommand {
    static func run(_ argv: [String]) throws {
        if argv.contains("--help") || argv.contains("-h") { throw HelpRequested(text: Help.run) }
        let args = try Arguments(argv, options: ["--input", "--output", "--top", "--threads", "--labels", "--preprocess"]
                                 + SourceOptions.names + ProfileOptions.names + KernelFlags.names,
                                 flags: ["--json"] + SourceOptions.flags + ProfileOptions.flags + KernelFlags.flags)
        let path = try args.single("a model (.rnc or .net) to run")
        let top = try args.int("--top", in: 0...1_000_000) ?? 5
        let threads = try args.int("--threads", in: 1...1024) ?? defaultThreadCount()
        if let value = args.string("--preprocess"), value != "none" {
            throw UsageError(description: "--preprocess takes only 'none' (without it the model's own preprocessing applies), found '\(value)'")
        }
        let loaded = try ModelSource.load(path, args: args)
        let model = loaded.model
        for note in loaded.compilation?.notes ?? [] { printError("note: " + note) }
        guard let inputInfo = model.plan.inputs.first, model.plan.inputs.count == 1 else {
            throw UsageError(description: "'\(path)' has \(model.plan.inputs.count) inputs; run takes models with one")
        }
        var labels = model.plan.labels
        if let labelsPath = args.string("--labels") {
            let names = try ClassLabels.read(path: labelsPath)
            try ClassLabels.check(names, fit: model.plan, path: labelsPath)
            labels = names
        }
        let input = try readInput(args, model: model, binding: inputInfo)
        let profiling = ProfileOptions(args)
        let session = try Session(model: model, threads: threads, kernels: try KernelFlags.options(args), profiling: profiling.mode)
        let outputs = try session.run([input])
        if let outputPath = args.string("--output") { try NPY.write(outputs[0], to: outputPath) }
        let pairs = Array(zip(model.plan.outputs, outputs))
        if args.flag("--json") {
            let objects = pairs.enumerated().map { i, pair in
                ClassRanking.json(pair.1, name: pair.0.name, top: top, labels: i == 0 ? labels : nil)
            }
            var object: [String: Any] = ["model": model.plan.name, "outputs": objects]
            if let rows = profiling.jsonRows(session) { object["profile"] = rows }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            try profiling.finish(session, printTable: false)
            return
        }
        for (i, (binding, output)) in pairs.enumerated() {
            print(ClassRanking.describe(output, name: binding.name, top: top, labels: i == 0 ? labels : nil))
        }
        try profiling.finish(session)
    }

    /// The input tensor: an image (PNG, PGM, PPM) through the model's preprocessing, a `.npy`
    /// tensor, or a seeded synthetic input.
    static func readInput(_ args: Arguments, model: Model, binding: TensorBinding) throws -> Tensor {
        guard let inputPath = args.string("--input") else {
            return WeightInitializer.makeInput(shape: binding.tensor.shape, seed: 1)
        }
        // An image by its extension or its first bytes (so a JPEG gets the image reader's
        // advice); everything else is read as a NumPy tensor.
        guard ImageReader.handles(path: inputPath) || Self.looksLikeImage(inputPath) else {
            return try NPY.read(path: inputPath)
        }
        let image = try ImageReader.read(path: inputPath)
        var recipe = model.plan.preprocess
        if args.string("--preprocess") == "none" {
            recipe = nil
        } else if recipe == nil {
            printError("note: '\(model.plan.name)' declares no preprocessing; the image's pixel values (0…255) are its input")
        }
        return try image.tensor(for: binding.tensor.shape, inputName: binding.name, preprocessing: recipe, path: inputPath)
    }
}

extension RunCommand {
    /// Whether the file at `path` begins like a PNG, PGM/PPM or JPEG file.
    static func looksLikeImage(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 8)) ?? Data())
        return head.starts(with: [0x89, 0x50, 0x4E, 0x47]) || head.starts(with: [0xFF, 0xD8, 0xFF])
            || head.starts(with: Array("P5".utf8)) || head.starts(with: Array("P6".utf8))
    }
}

/// Available cores, the default thread count.
func defaultThreadCount() -> Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
