// Bad input other than DSL text, through the real command line: weights that do not fit,
// damaged model files, wrong tensors, bad flags. Each gives its exact message and status
// (1 for bad input, 2 for bad usage), never a crash.
import Foundation
import Testing

@Suite("Command-line errors")
struct CLIErrorTests {
    private static let fixtures = "Tests/Fixtures/"

    /// A compiled MNIST model in a fresh directory; returns the directory.
    private func compiledModel() throws -> String {
        let dir = try CommandLineTool.scratchDirectory()
        let result = try CommandLineTool.run(["compile", "Graphs/mnist_resnet.net", "-o", dir + "/m.rnc"])
        #expect(result.status == 0, "\(result)")
        return dir
    }

    private func expectFailure(_ arguments: [String], status: Int32 = 1, _ expected: String,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try CommandLineTool.run(arguments)
        #expect(result.status == status, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr == expected, sourceLocation: sourceLocation)
    }

    @Test("weights: wrong network, missing file, truncated file")
    func weights() throws {
        let wrong = try CommandLineTool.run(["compile", "Graphs/mnist_resnet.net", "--weights",
                                             Self.fixtures + "resblock6_small.safetensors", "-o", "/tmp/unused.rnc"])
        #expect(wrong.status == 1)
        let lines = wrong.stderr.split(separator: "\n")
        #expect(lines.first == "Tests/Fixtures/resblock6_small.safetensors: 126 problem(s) with the weights:")
        #expect(lines.dropFirst().first == "  - missing tensor 'conv1.weight' (expected shape 20x1x5x5)")
        #expect(lines.count == 22)
        #expect(lines.last == "  … and 106 more")
        try expectFailure(["compile", "Graphs/mnist_resnet.net", "--weights", "/nonexistent.safetensors"],
                          "/nonexistent.safetensors: 1 problem(s) with the weights:\n  - cannot read the file\n")
        let dir = try CommandLineTool.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Repository.path(Self.fixtures + "mnist_resnet.safetensors")))
        try bytes.prefix(100).write(to: URL(fileURLWithPath: dir + "/cut.safetensors"))
        try expectFailure(["compile", "Graphs/mnist_resnet.net", "--weights", dir + "/cut.safetensors"],
                          "\(dir)/cut.safetensors: 1 problem(s) with the weights:\n"
                          + "  - header length 1288 exceeds the file size (100 bytes)\n")
    }

    @Test("model files: truncated, a flipped bit, not a model at all")
    func damagedModels() throws {
        let dir = try compiledModel()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try Data(contentsOf: URL(fileURLWithPath: dir + "/m.rnc"))
        try model.prefix(1000).write(to: URL(fileURLWithPath: dir + "/cut.rnc"))
        try expectFailure(["run", dir + "/cut.rnc"],
                          "\(dir)/cut.rnc: truncated: expected at least \(model.count) bytes, found 1000\n")
        var flipped = model
        flipped[5000] ^= 1
        try flipped.write(to: URL(fileURLWithPath: dir + "/flip.rnc"))
        let result = try CommandLineTool.run(["run", dir + "/flip.rnc"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("\(dir)/flip.rnc: checksum mismatch: header says 0x"), "\(result)")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: dir + "/text.rnc"))
        try expectFailure(["inspect", dir + "/text.rnc"], "\(dir)/text.rnc: truncated: expected at least 64 bytes, found 5\n")
        try expectFailure(["run", Self.fixtures + "mnist_resnet_input.npy"], status: 2,
                          "resnetc run: error: 'Tests/Fixtures/mnist_resnet_input.npy' is neither a compiled model (.rnc) "
                          + "nor a network (.net)\nSee 'resnetc run --help'.\n")
    }

    @Test("tensors: wrong input shape, not an .npy, unwritable output")
    func tensors() throws {
        let dir = try compiledModel()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try expectFailure(["run", dir + "/m.rnc", "--input", Self.fixtures + "resblock6_small_input.npy"],
                          "input 'image': expected shape 1x1x28x28, found 2x3x28x28\n")
        try expectFailure(["run", dir + "/m.rnc", "--input", Self.fixtures + "mnist_resnet.safetensors"],
                          "Tests/Fixtures/mnist_resnet.safetensors: invalid .npy: missing the \\x93NUMPY magic\n")
        try expectFailure(["run", dir + "/m.rnc", "--output", "/nonexistent/dir/y.npy"],
                          "/nonexistent/dir/y.npy: cannot write: directory '/nonexistent/dir' does not exist\n")
    }

    @Test("flags: out of range, misspelt, unknown param, unknown pass, unknown command")
    func flags() throws {
        try expectFailure(["run", "Graphs/mnist_resnet.net", "--threads", "0"], status: 2,
                          "resnetc run: error: option '--threads' must be between 1 and 1024, found 0\nSee 'resnetc run --help'.\n")
        try expectFailure(["run", "Graphs/mnist_resnet.net", "--thread", "2"], status: 2,
                          "resnetc run: error: unknown option '--thread'; did you mean '--threads'?\nSee 'resnetc run --help'.\n")
        try expectFailure(["compile", "Graphs/mnist_resnet.net", "--batch", "-3"], status: 2,
                          "resnetc compile: error: option '--batch' must be between 1 and 65536, found -3\n"
                          + "See 'resnetc compile --help'.\n")
        try expectFailure(["compile", "Graphs/resnet18.net", "--define", "clases=5"],
                          "Graphs/resnet18.net: error: --define of unknown param 'clases'; did you mean 'classes'?\n")
        try expectFailure(["compile", "Graphs/resnet18.net", "--disable-pass", "fold-bn"], status: 2,
                          "resnetc compile: error: unknown pass 'fold-bn'; known passes: drop-identities, global-pool, cse, dce, "
                          + "trim-padded-taps, fold-batchnorm, fuse-residual, fuse-activation, pad-channels\nSee 'resnetc compile --help'.\n")
        let unknown = try CommandLineTool.run(["frobnicate"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.hasPrefix("resnetc: error: unknown command 'frobnicate'\n"))
    }
}
