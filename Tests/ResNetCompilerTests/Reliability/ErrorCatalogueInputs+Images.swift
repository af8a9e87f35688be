// Inputs for the "Images and labels" section of Docs/Errors.md: image bytes made here through
// the runtime's image reader and image-to-tensor step, labels files through ClassLabels, plans
// through Model, and the built `resnetc` for what only the command line prints (notes, eval's
// labels.csv and targets).
import Foundation
import ResNetCompiler
import ResNetRuntime

extension ErrorCatalogueInputs {
    /// The error of decoding `bytes` as the image file `name` ("" if it decodes).
    static func decodeImage(_ bytes: [UInt8], _ name: String = "x.png") -> String {
        thrown { _ = try ImageReader.decode(bytes, path: name) }
    }

    /// The error of the 2×2 PNG whose IDAT holds the zlib stream `zlib`.
    static func imageData(_ zlib: [UInt8]) -> String { decodeImage(PNGBytes.png(idat: zlib)) }

    /// Bits packed LSB-first into bytes (deflate's order; Huffman codes listed MSB first).
    static func bits(_ values: [Int]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (values.count + 7) / 8)
        for (i, bit) in values.enumerated() where bit == 1 { out[i / 8] |= 1 << UInt8(i % 8) }
        return out
    }

    /// The error of making the input tensor of shape `shape` from a black `width`×`height` RGB
    /// image named x.png, through `recipe`.
    static func fit(width: Int, height: Int, to shape: [Int], input: String = "image", recipe: Preprocessing? = nil) -> String {
        let picture = Image(width: width, height: height, channels: 3, pixels: .uint8([UInt8](repeating: 0, count: width * height * 3)))
        return thrown { _ = try picture.tensor(for: shape, inputName: input, preprocessing: recipe, path: "x.png") }
    }

    /// The error of reading `contents` as the labels file names.txt and checking it against a
    /// model with `output logits = fc: linear(…, 10)`.
    static func labels(_ contents: [UInt8]) throws -> String {
        let path = try file("names.txt", contents)
        let plan = try compiled().lowered.plan
        return thrown { try ClassLabels.check(try ClassLabels.read(path: path), fit: plan, path: path) }
    }

    /// The error of loading a model of `source` whose plan is changed by `edit`.
    static func loadPlan(_ source: String, _ edit: (inout Plan) -> Void) throws -> String {
        let lowered = try Compiler.compile(source: source, fileName: "m.net").lowered
        var plan = lowered.plan
        edit(&plan)
        return thrown { _ = try Model(plan: plan, weights: lowered.weights) }
    }

    /// `resnetc eval` of `model` on a folder with l.csv holding `csv` (the images themselves
    /// are never read: every error comes before).
    static func evalCSV(_ csv: String, model: String = "Graphs/digits_resnet.net") throws -> String {
        let path = try file("l.csv", Array(csv.utf8))
        return try cli(["eval", model, "--dataset", (path as NSString).deletingLastPathComponent, "--labels-csv", path])
    }

    static let imageInputs: [String: @Sendable () throws -> String] = [
        // Files.
        "x.png: no such file": { thrown { _ = try ImageReader.read(path: try folder() + "/x.png") } },
        "x.png: file is N bytes; the limit is 268435456": {
            // A sparse file one byte over the limit: the size is checked before anything is read.
            let path = try file("x.png", [])
            defer { try? FileManager.default.removeItem(atPath: path) }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: UInt64(ImageReader.maxFileBytes + 1))
            try handle.close()
            return thrown { _ = try ImageReader.read(path: path) }
        },
        "x.jpg: JPEG is not supported; convert it to PNG first (resnetc reads PNG, binary PGM and binary PPM)": {
            decodeImage([0xFF, 0xD8, 0xFF, 0xE0, 0, 16], "x.jpg")
        },
        "x.png: not a PNG, binary PGM (P5) or binary PPM (P6) file": { decodeImage(Array("P2 1 1 255\n0\n".utf8)) },
        // PNG chunks.
        "x.png: bad PNG: chunk 'IHDR' has a bad CRC (stored 0x…, data gives 0x…)": {
            var bytes = PNGBytes.png()
            bytes[19] ^= 1  // the low byte of the width
            return decodeImage(bytes)
        },
        "x.png: bad PNG: truncated: chunk 'IDAT' at byte 68 declares 221 bytes, the file has 20 left": {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Repository.path("Tests/Fixtures/images/rgb8.png"))))
            return decodeImage(Array(bytes.prefix(100)))
        },
        // The signature and IHDR only.
        "x.png: bad PNG: truncated: the file ends before the IEND chunk": { decodeImage(Array(PNGBytes.png().prefix(33))) },
        "x.png: bad PNG: image is 100000×1; the limit is 67108864 pixels and 65536 per side": { decodeImage(PNGBytes.png(width: 100_000, height: 1)) },
        "bad PNM: …": { decodeImage(Array("P6 70000 70000 255\n".utf8), "x.ppm") },
        "x.png: bad PNG: image is 0×5; both must be ≥ 1": { decodeImage(PNGBytes.png(width: 0, height: 5)) },
        // Broken zlib data in IDAT.
        "x.png: bad PNG: image data: zlib header check bits are wrong": { imageData([0x78, 0x9D, 0, 0]) },
        // BFINAL = 1, BTYPE = 3.
        "invalid block type 3": { imageData([0x78, 0x9C, 0x07]) },
        // A dynamic block whose four code-length codes all have length 1.
        "invalid Huffman code lengths (over-subscribed)": {
            imageData([0x78, 0x9C] + bits([1, 0, 1] + [0, 0, 0, 0, 0] + [0, 0, 0, 0, 0] + [0, 0, 0, 0] + [1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0]))
        },
        // A stored block of the 6 bytes the image needs, then an Adler-32 of 0.
        "Adler-32 mismatch: stored 0x…, data gives 0x…": {
            imageData([0x78, 0x9C, 0x01, 0x06, 0x00, 0xF9, 0xFF] + [UInt8](repeating: 0, count: 6) + [0, 0, 0, 0])
        },
        // A fixed block whose first code is a match (length symbol 257, distance code 0).
        "distance 1 reaches before the start of the data (0 bytes)": {
            imageData([0x78, 0x9C] + bits([1, 1, 0] + [0, 0, 0, 0, 0, 0, 1] + [0, 0, 0, 0, 0]))
        },
        // A fixed block cut off inside its first code.
        "truncated: the compressed data ends early": { imageData([0x78, 0x9C, 0x03]) },
        // Valid zlib of 3 zero bytes.
        "x.png: bad PNG: image data: decompressed to 3 bytes, the header implies 6": {
            imageData([0x78, 0x9C, 0x63, 0x60, 0x60, 0x00, 0x00, 0x00, 0x03, 0x00, 0x01])
        },
        // A stored block of 7 bytes.
        "decompressed data is longer than the expected N bytes": {
            imageData([0x78, 0x9C, 0x01, 0x07, 0x00, 0xF8, 0xFF] + [UInt8](repeating: 0, count: 7) + [0, 0x07, 0, 0x01])
        },
        // PNG headers.
        "x.png: bad PNG: bit depth 3 is not allowed for color type 0": { decodeImage(PNGBytes.png(depth: 3)) },
        "unknown color type 5": { decodeImage(PNGBytes.png(colorType: 5)) },
        "the first chunk is 'IDAT', not IHDR": { decodeImage(PNGBytes.signature + PNGBytes.chunk("IDAT", []) + PNGBytes.chunk("IEND", [])) },
        "palette image (color type 3) has no PLTE chunk": { decodeImage(PNGBytes.png(colorType: 3)) },
        "unknown critical chunk 'ABCD'": { decodeImage(PNGBytes.png(extra: PNGBytes.chunk("ABCD", []))) },
        // PGM and PPM.
        "x.pgm: bad PNM: truncated: expected 16 bytes of pixels, found 3": { decodeImage(Array("P5 4 4 255\n".utf8) + [1, 2, 3], "x.pgm") },
        "x.pgm: bad PNM: maxval 0 is outside 1…65535": { decodeImage(Array("P5 4 4 0\n".utf8), "x.pgm") },
        "sample 11 at index 0 exceeds maxval 10": { decodeImage(Array("P5 1 1 10\n".utf8) + [11], "x.pgm") },
        "truncated: the header ends before the height": { decodeImage(Array("P6 4".utf8), "x.ppm") },
        // Images that do not fit the model's input.
        "x.png: image is 120×90 (width×height); the model's input 'image' takes 32×32": {
            fit(width: 120, height: 90, to: [1, 3, 32, 32])
        },
        "… after preprocessing; …": { fit(width: 120, height: 90, to: [1, 3, 32, 32], recipe: Preprocessing(scale: 1.0 / 255)) },
        "x.png: image is 13×11 (width×height), smaller than the center crop 12×12": {
            fit(width: 13, height: 11, to: [1, 3, 12, 12], recipe: Preprocessing(centerCrop: [12, 12]))
        },
        "… after resizing, …": {
            fit(width: 13, height: 11, to: [1, 3, 12, 12], recipe: Preprocessing(resize: .shorterSide(size: 8), centerCrop: [12, 12]))
        },
        "x.png: an image fills a batch of 1; the model's input 'image' has batch 8": { fit(width: 32, height: 32, to: [8, 3, 32, 32]) },
        "x.png: the model's input 'v' is 1x4x8; an image fills an input of shape 1x1xHxW or 1x3xHxW": {
            fit(width: 8, height: 4, to: [1, 4, 8], input: "v")
        },
        // As `resnetc run` prints it before the image is fitted (here it then does not fit).
        "note: 'cifar_resnet20' declares no preprocessing; the image's pixel values (0…255) are its input": {
            try cli(["run", "Graphs/cifar_resnet20.net", "--input", "Tests/Fixtures/images/photo.png"])
        },
        // Labels files.
        "names.txt: has 3 labels; the model's output 'logits' has 10 classes": { try labels(Array("a\nb\nc\n".utf8)) },
        "names.txt: line 2 is empty; every line names one class": { try labels(Array("a\n\nc\n".utf8)) },
        "the file has no labels": { try labels([]) },
        "not valid UTF-8": { try labels([0xFF, 0xFE, 0x0A]) },
        "no such file": { thrown { _ = try ClassLabels.read(path: try folder() + "/names.txt") } },
        "names.txt: the model's first output is not [N, classes]; labels do not apply": {
            let plan = try Compiler.compile(source: "input image: 1x1x4x4\noutput y = relu(image)", fileName: "m.net").lowered.plan
            return thrown { try ClassLabels.check(["a"], fit: plan, path: "names.txt") }
        },
        // As `resnetc compile` prints it: resnet18.net's 1000 ImageNet names for 10 classes.
        "note: Graphs/imagenet_classes.txt has 1000 labels but output 'logits' has 10 classes; the model carries no labels": {
            try cli(["compile", "Graphs/resnet18.net", "--define", "classes=10", "--define", "base=4", "--define", "size=64",
                     "-o", try folder() + "/m.rnc"])
        },
        // eval over an image folder: labels.csv and its rows.
        "DIR/labels.csv: no such file": {
            let directory = try folder() + "/DIR"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            return try cli(["eval", "Graphs/digits_resnet.net", "--dataset", directory])
        },
        "l.csv: line 1: expected the header 'file,label', found '…'": { try evalCSV("name,class\na.png,1\n") },
        "l.csv: line 3: expected 'file,label', found 'abc'": { try evalCSV("file,label\na.png,1\nabc\n") },
        "l.csv: line 3: the file name is empty": { try evalCSV("file,label\na.png,1\n,2\n") },
        "l.csv: line 2: unknown class 'sevne'; did you mean 'seven'?": { try evalCSV("file,label\na.png,sevne\n") },
        "l.csv: line 2: label 'cat' is not a class index (the model has no class names)": {
            try evalCSV("file,label\na.png,cat\n", model: "Graphs/cifar_resnet20.net")
        },
        "l.csv: no samples after the header": { try evalCSV("file,label\n") },
        "target 3 is class 12, the model has 10 classes": { try evalCSV("file,label\na.png,0\na.png,1\na.png,2\na.png,12\n") },
        // Plans whose stored labels or recipe do not fit.
        "invalid plan at 'labels': 1 labels for 5 output classes": {
            try loadPlan("input image: 1x1x4x4\noutput logits = fc: linear(flatten(image), 5)") { $0.labels = ["a"] }
        },
        "invalid plan at 'preprocess': …": {
            try loadPlan("input image: 1x1x4x4\noutput logits = fc: linear(flatten(image), 5)") { $0.preprocess = Preprocessing(std: [0]) }
        },
    ]
}
