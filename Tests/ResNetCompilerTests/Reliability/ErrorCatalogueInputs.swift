// For every message in Docs/Errors.md's tables, an input that makes resnetc produce it: the
// message templates (as written in the doc) mapped to a function returning the error text.
import Foundation
import ResNetCompiler
import ResNetRuntime

/// Inputs producing each catalogued error; each function returns the rendered error ("" if none).
enum ErrorCatalogueInputs {
    /// The rendered errors of elaborating `body` (after an `input image: 1x3x32x32` line unless
    /// `withInput` is false).
    static func dsl(_ body: String, withInput: Bool = true, defines: [String: Int] = [:]) -> String {
        let source = (withInput ? "input image: 1x3x32x32\n" : "") + body
        do {
            _ = try Frontend.elaborate(source: source, fileName: "e.net", options: FrontendOptions(defines: defines))
            return ""
        } catch {
            return error.rendered
        }
    }

    /// The description of whatever `body` throws ("" if it does not throw).
    static func thrown(_ body: () throws -> Void) -> String {
        do {
            try body()
            return ""
        } catch {
            return "\(error)"
        }
    }

    /// A scratch directory for files the inputs write.
    static let directory: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("catalogue-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// A fresh, empty subdirectory of the scratch directory (inputs run in parallel and several
    /// write `m.rnc`).
    static func folder() throws -> String {
        let path = directory + "/" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `bytes` to `name` in a fresh subdirectory of the scratch directory; returns the path.
    static func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = try folder() + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// What the built `resnetc arguments…` prints on stderr, run in the repository root.
    static func cli(_ arguments: [String]) throws -> String {
        try CommandLineTool.run(arguments).stderr
    }

    /// A compiled model with one 1x1x28x28 input `image` and a conv named `layer1.0.conv1`.
    static func compiled() throws -> Compilation {
        try Compiler.compile(source: """
            input image: 1x1x28x28
            x = layer1.0.conv1: conv(image, 4, kernel: 3) -> relu
            output logits = fc: linear(flatten(global_avgpool(x)), 10)
            """, fileName: "m.net")
    }

    /// The model's `.rnc` bytes after `edit`, with the checksum recomputed when `rehash`.
    static func modelFile(rehash: Bool = false, _ edit: (inout [UInt8]) -> Void) throws -> String {
        var bytes = try compiled().encoded()
        edit(&bytes)
        if rehash {
            let hash = Checksum.hash(Array(bytes[RNCLayout.headerSize...]))
            for i in 0..<8 { bytes[48 + i] = UInt8(truncatingIfNeeded: hash >> (8 * UInt64(i))) }
        }
        return try file("m.rnc", bytes)
    }

    /// A version 1.0 `.npy` with `header` (padded) and `data`.
    static func npy(_ header: String, data: [UInt8]) -> [UInt8] {
        var text = header
        while (10 + text.utf8.count + 1) % 64 != 0 { text += " " }
        text += "\n"
        let length = text.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xff), UInt8(length >> 8)] + Array(text.utf8) + data
    }

    /// Template (as in Docs/Errors.md) → input producing it, for every section.
    static let all: [String: @Sendable () throws -> String] = [sourceAndModelInputs, onnxInputs, imageInputs, layoutInputs]
        .reduce(into: [:]) { all, section in
            all.merge(section) { _, _ in preconditionFailure("a template has two inputs") }
        }

    /// The sections "Network source", "Model files", "Tensors" and "Limits".
    static let sourceAndModelInputs: [String: @Sendable () throws -> String] = [
        // Network source.
        "unknown op or block 'batchnrom'; did you mean 'batchnorm'?": { dsl("output y = bn1: batchnrom(image)") },
        "conv has no parameter 'strid'; did you mean 'stride'?": { dsl("output y = c: conv(image, 8, kernel: 3, strid: 2)") },
        "unknown variable 'imgae'; did you mean 'image'?": { dsl("output y = relu(imgae)") },
        "conv is missing argument 'kernel'": { dsl("output y = c: conv(image, 8)") },
        "conv argument 'kernel' is given twice": { dsl("output y = c: conv(image, 8, kernel: 3, kernel: 3)") },
        "conv argument 'kernel' must be an int, found tensor": { dsl("output y = c: conv(image, 8, kernel: image)") },
        "conv has parameters and needs a name, e.g. 'conv1: conv(...)'": { dsl("output y = conv(image, 8, kernel: 3)") },
        "layer name 'conv1' is used twice": {
            dsl("x = conv1: conv(image, 3, kernel: 1)\noutput y = conv1: conv(x, 3, kernel: 1)")
        },
        "note: first used here": {
            dsl("x = conv1: conv(image, 3, kernel: 1)\noutput y = conv1: conv(x, 3, kernel: 1)")
        },
        "add: operands differ in shape: 1x8x32x32 vs 1x3x32x32": {
            dsl("x = c: conv(image, 8, kernel: 3, pad: 1)\noutput y = x + image")
        },
        "conv 'conv1': kernel 40 (dilation 1, padding 0) does not fit input 1x3x32x32": {
            dsl("output y = conv1: conv(image, 8, kernel: 40)")
        },
        "conv 'conv1': input channels 3 are not divisible by groups 2": {
            dsl("output y = conv1: conv(image, 8, kernel: 3, groups: 2)")
        },
        "linear 'fc': expects an NxC input (flatten first), found 1x3x32x32": { dsl("output y = fc: linear(image, 10)") },
        "repeat count must be between 1 and 10000, found 0": { dsl("x = relu(image)\nx = repeat 0 { relu(x) }\noutput y = x") },
        "'z = repeat …' updates 'z', which is not defined yet": { dsl("z = repeat 2 { relu(z) }\noutput y = z") },
        "block 'b' calls itself": { dsl("block b(x) { return b(x) }\noutput y = b(image)") },
        "the network has no input; declare one, e.g. 'input image: 1x3x224x224'": { dsl("param p = 1\n", withInput: false) },
        "the network has no output; declare one, e.g. 'output logits = x'": { dsl("x = relu(image)\n") },
        "a network takes exactly one input": { dsl("input other: 1x3x8x8\noutput y = relu(image)") },
        "note: first input declared here": { dsl("input other: 1x3x8x8\noutput y = relu(image)") },
        "'return' is only allowed inside a block": { dsl("return image\noutput y = image") },
        "unterminated '{'; expected '}' before 'output'": { dsl("block b(x) {\n  y = relu(x)\noutput y = b(image)") },
        "unexpected character '@'": { dsl("@\noutput y = image") },
        "invalid number '3x'": { dsl("param p = 3x\noutput y = image") },
        "division by zero": { dsl("param p = 1 / 0\noutput y = image") },
        "file: error: --define of unknown param 'clases'; did you mean 'classes'?": {
            dsl("param classes = 10\noutput y = image", defines: ["clases": 5])
        },
        "file: error: source is not valid UTF-8": { thrown { _ = try Compiler.readSource(try file("u.net", [0xff, 0xfe])) } },
        "file: error: cannot read file (does it exist?)": { thrown { _ = try Compiler.readSource(directory + "/none.net") } },
        "file: error: source is N bytes; the limit is 1048576": {
            thrown { _ = try Compiler.readSource(try file("big.net", [UInt8](repeating: 0x23, count: (1 << 20) + 1))) }
        },
        "too many errors": { dsl(String(repeating: "@\n", count: 150)) },
        // Model files.
        "m.rnc: no such file": { thrown { _ = try Model(contentsOf: directory + "/missing/m.rnc") } },
        "m.rnc: truncated: expected at least N bytes, found M": {
            let path = try modelFile { $0 = Array($0.prefix(100)) }
            return thrown { _ = try Model(contentsOf: path) }
        },
        "m.rnc: not a resnetc model (bad magic bytes)": {
            thrown { _ = try Model(contentsOf: try file("m.rnc", [UInt8](repeating: 0, count: 64))) }
        },
        "m.rnc: unsupported model format version 2 (this runtime reads version 1)": {
            let path = try modelFile { $0[8] = 2 }
            return thrown { _ = try Model(contentsOf: path) }
        },
        "m.rnc: corrupt header: …": {
            let path = try modelFile { $0[12] = 65 }
            return thrown { _ = try Model(contentsOf: path) }
        },
        "m.rnc: checksum mismatch: header says 0x…, contents hash to 0x…": {
            let path = try modelFile { $0[$0.count - 1] ^= 1 }
            return thrown { _ = try Model(contentsOf: path) }
        },
        "m.rnc: malformed plan: …": {
            let path = try modelFile(rehash: true) { $0[RNCLayout.headerSize] = UInt8(ascii: "[") }
            return thrown { _ = try Model(contentsOf: path) }
        },
        "invalid plan at 'layer1.0.conv1': …": {
            let lowered = try compiled().lowered
            var plan = lowered.plan
            guard let index = plan.steps.firstIndex(where: { $0.name.hasPrefix("layer1.0.conv1") }) else { return "" }
            plan.steps[index].weights[0].offset = plan.weightFloats
            return thrown { _ = try Model(plan: plan, weights: lowered.weights) }
        },
        // The system refusing memory or threads cannot be provoked safely in a test (a 64 GiB
        // arena would be overcommitted, then zeroed): these check the text the code renders.
        "out of memory: cannot allocate N bytes": { thrown { throw RuntimeError.outOfMemory(bytes: 1 << 40) } },
        "cannot start 7 worker threads for a 8-thread session": { thrown { throw RuntimeError.threadStart(threads: 8) } },
        // Tensors.
        "input 'image': expected shape 1x1x28x28, found 2x3x28x28": {
            let session = try Session(model: try compiled().makeModel())
            return thrown { _ = try session.run([Tensor(zeros: [2, 3, 28, 28])]) }
        },
        "expected 1 input tensor, found 2": {
            let session = try Session(model: try compiled().makeModel())
            return thrown { _ = try session.run([Tensor(zeros: [1, 1, 28, 28]), Tensor(zeros: [1, 1, 28, 28])]) }
        },
        "buffer for 'image': expected 784 floats, found 100": {
            let session = try Session(model: try compiled().makeModel())
            let input = [Float](repeating: 0, count: 100)
            var output = [Float](repeating: 0, count: 10)
            return thrown {
                try input.withUnsafeBufferPointer { i in
                    try output.withUnsafeMutableBufferPointer { o in try session.run(input: i, output: o) }
                }
            }
        },
        "x.npy: invalid .npy: missing the \\x93NUMPY magic": { thrown { _ = try NPY.decode(bytes: Array("hello world".utf8), name: "x.npy") } },
        "x.npy: invalid .npy: shape 2x3 of <f4 needs 24 data bytes, found 4": {
            thrown { _ = try NPY.decode(bytes: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", data: [0, 0, 0, 0]), name: "x.npy") }
        },
        "x.npy: invalid .npy: unsupported dtype '<c8' (expected <f4, <f8, |u1, <i4 or <i8)": {
            thrown { _ = try NPY.decode(bytes: npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", data: [UInt8](repeating: 0, count: 8)), name: "x.npy") }
        },
        "x.npy: invalid .npy: Fortran-order arrays are not supported; save with C order": {
            thrown { _ = try NPY.decode(bytes: npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", data: [0, 0, 0, 0]), name: "x.npy") }
        },
        "y.npy: cannot write: directory '/nonexistent/dir' does not exist": {
            thrown { try NPY.write(Tensor(zeros: [1]), to: "/nonexistent/dir/y.npy") }
        },
        // Limits.
        "the network has more than 100000 nodes": {
            // 11 nodes per iteration × 10,000.
            dsl("input x: 1x3x2x2\nx = repeat 10000 { y = relu(x) -> relu -> relu -> relu -> relu\n"
                + "y = relu(y) -> relu -> relu -> relu -> relu -> relu\n y }\noutput o = x", withInput: false)
        },
        "the network has more than 2^30 parameters": {
            // Two 4096x4096x7x7 weights: 1.6 billion floats.
            dsl("input big: 1x4096x8x8\nx = a: conv(big, 4096, kernel: 7, pad: 3, bias: false)\n"
                + "output y = b: conv(x, 4096, kernel: 7, pad: 3, bias: false)", withInput: false)
        },
        "tensor of shape 65536x65536x2x1 has more than 2^31 elements": {
            dsl("input x: 65536x65536x2x1\noutput y = relu(x)", withInput: false)
        },
        "blocks are nested more than 64 calls deep": {
            let blocks = (0..<70).map { "block b\($0)(x) { return b\($0 + 1)(x) }" }.joined(separator: "\n")
            return dsl(blocks + "\nblock b70(x) { return relu(x) }\noutput y = b0(image)")
        },
        "elaboration takes more than 1000000 steps (nested repeats?)": {
            dsl("block b(x) {\n  x = repeat 10000 { x }\n  return x\n}\nx = relu(image)\nx = repeat 10000 { b(x) }\noutput y = x")
        },
        "m.rnc: the activation arena needs N bytes, more than the limit of 17179869184 (RuntimeLimits.maxArenaBytes)": {
            let lowered = try compiled().lowered
            var plan = lowered.plan
            plan.arenaFloats = 1 << 33
            let path = try file("m.rnc", try RNCFile.encode(plan: plan, weights: lowered.weights))
            return thrown { _ = try Model(contentsOf: path) }
        },
        "m.rnc: corrupt header: the header accounts for N bytes, the file has M": {
            let path = try modelFile { $0 += [0] }
            return thrown { _ = try Model(contentsOf: path) }
        },
        "x.npy: invalid .npy: shape 2 of <f4 needs 8 data bytes, found 12": {
            thrown { _ = try NPY.decode(bytes: NPY.encode(Tensor(shape: [2], data: [1, 2])) + [0, 0, 0, 0], name: "x.npy") }
        },
    ]
}
