// `resnetc run` and `eval` on images through the built executable, as a user runs them: PNGs
// through the model's preprocessing, class names, --json, --labels, --preprocess none, image
// folders with labels.csv, and the errors for broken images and labels.
import Foundation
import ResNetRuntime
import Testing

@Suite("CLI images and labels")
struct ImageCLITests {
    static let digits = ["Graphs/digits_resnet.net", "--weights", "Graphs/digits_resnet.safetensors"]

    @Test("run on a digit PNG prints the digit's name, as the .npy sample does")
    func runDigit() throws {
        let run = try CommandLineTool.run(["run"] + Self.digits + ["--input", "Graphs/digits_images/digit_00.png", "--top", "2"])
        #expect(run.status == 0, "\(run)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "output 'logits' 1x10")
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("   1. class    7  score ") && lines[1].hasSuffix("  p 0.9997  seven"), "\(run)")
        #expect(lines[2].contains(" 2. class    8 ") && lines[2].hasSuffix("eight"), "\(run)")
        #expect(run.stderr.isEmpty, "\(run)")

        // The same digit as a tensor (value / 16), through --input .npy, ranks the same classes.
        let scratch = try CommandLineTool.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let all = try NPY.read(path: Repository.path("Graphs/digits_test_images.npy"))
        try NPY.write(Tensor(shape: [1, 1, 8, 8], data: Array(all.data[0..<64])), to: scratch + "/digit.npy")
        let tensorRun = try CommandLineTool.run(["run"] + Self.digits + ["--input", scratch + "/digit.npy", "--top", "2"])
        #expect(tensorRun.status == 0, "\(tensorRun)")
        #expect(tensorRun.stdout.split(separator: "\n").map { $0.prefix(20) } == lines.map { $0.prefix(20) }, "\(tensorRun)")
    }

    @Test("inspect shows the recipe and the class names a compiled model carries")
    func inspectShowsRecipe() throws {
        let scratch = try CommandLineTool.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let compile = try CommandLineTool.run(["compile"] + Self.digits + ["-o", scratch + "/digits.rnc"])
        #expect(compile.status == 0, "\(compile)")
        let inspect = try CommandLineTool.run(["inspect", scratch + "/digits.rnc"])
        #expect(inspect.status == 0, "\(inspect)")
        let lines = inspect.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("images: resize to 8×8 → scale 0.00392157"), "\(inspect)")
        #expect(lines.contains("labels: 10 (zero, one, two, …)"), "\(inspect)")
        let json = try CommandLineTool.run(["inspect", scratch + "/digits.rnc", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["preprocess"] as? String == "resize to 8×8 → scale 0.00392157")
        #expect(object["labels"] as? Int == 10)
    }

    @Test("--json gives rank, class, label, score and probability")
    func runJSON() throws {
        let run = try CommandLineTool.run(["run"] + Self.digits + ["--input", "Graphs/digits_images/digit_02.png", "--top", "3", "--json"])
        #expect(run.status == 0, "\(run)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["model"] as? String == "digits_resnet")
        let outputs = try #require(object["outputs"] as? [[String: Any]])
        #expect(outputs.first?["name"] as? String == "logits")
        #expect(outputs.first?["shape"] as? [Int] == [1, 10])
        let rows = try #require(outputs.first?["rows"] as? [[[String: Any]]])
        #expect(rows.count == 1 && rows[0].count == 3)
        let best = rows[0][0]
        #expect(best["rank"] as? Int == 1)
        #expect(best["class"] as? Int == 3)
        #expect(best["label"] as? String == "three")
        let probabilities = rows[0].compactMap { $0["probability"] as? Double }
        #expect(probabilities.count == 3 && probabilities[0] > 0.5 && probabilities == probabilities.sorted(by: >))
        #expect(best["score"] is Double)
    }

    @Test("a compiled .rnc keeps the recipe and labels; --labels overrides; --preprocess none feeds raw pixels")
    func compiledModel() throws {
        let scratch = try CommandLineTool.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let model = scratch + "/digits.rnc"
        let compile = try CommandLineTool.run(["compile"] + Self.digits + ["-o", model])
        #expect(compile.status == 0, "\(compile)")
        let image = ["--input", "Graphs/digits_images/digit_00.png", "--top", "1"]
        let fromNet = try CommandLineTool.run(["run"] + Self.digits + image)
        let fromRNC = try CommandLineTool.run(["run", model] + image)
        #expect(fromRNC.status == 0 && fromRNC.stdout == fromNet.stdout, "\(fromRNC)")

        let labels = scratch + "/names.txt"
        try (0..<10).map { "digit \($0)" }.joined(separator: "\n").write(toFile: labels, atomically: true, encoding: .utf8)
        let renamed = try CommandLineTool.run(["run", model, "--labels", labels] + image)
        #expect(renamed.stdout.hasSuffix("  digit 7\n"), "\(renamed)")

        let withLabels = scratch + "/named.rnc"
        #expect(try CommandLineTool.run(["compile"] + Self.digits + ["--labels", labels, "-o", withLabels]).status == 0)
        #expect(try CommandLineTool.run(["run", withLabels] + image).stdout == renamed.stdout)

        let raw = try CommandLineTool.run(["run", model, "--preprocess", "none"] + image)
        #expect(raw.status == 0, "\(raw)")
        #expect(raw.stdout != fromRNC.stdout)
    }

    @Test("an ImageNet net reads a photo through resize, crop and normalization and names the classes")
    func imagenetNet() throws {
        let run = try CommandLineTool.run(["run", "Graphs/resnet18.net", "--define", "base=4", "--define", "size=64",
                                           "--input", "Tests/Fixtures/images/photo.png", "--top", "1"])
        #expect(run.status == 0, "\(run)")
        let names = try String(contentsOfFile: Repository.path("Graphs/imagenet_classes.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let line = try #require(run.stdout.split(separator: "\n").dropFirst().first.map(String.init))
        let index = try #require(Int(line.split(separator: " ")[2]))
        #expect(line.hasSuffix("  " + names[index]), "\(run)")
    }

    @Test("broken images, wrong sizes and labels that do not fit are errors naming the file")
    func errors() throws {
        let scratch = try CommandLineTool.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Repository.path("Graphs/digits_images/digit_00.png"))))
        bytes[bytes.count - 20] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: scratch + "/bad.png"))
        let bad = try CommandLineTool.run(["run"] + Self.digits + ["--input", scratch + "/bad.png"])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix(scratch + "/bad.png: bad PNG: "), "\(bad)")

        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]).write(to: URL(fileURLWithPath: scratch + "/photo.jpg"))
        let jpeg = try CommandLineTool.run(["run"] + Self.digits + ["--input", scratch + "/photo.jpg"])
        #expect(jpeg.status == 1)
        #expect(jpeg.stderr == "\(scratch)/photo.jpg: JPEG is not supported; convert it to PNG first (resnetc reads PNG, binary PGM and binary PPM)\n", "\(jpeg)")
        // A file that is not an image by name or content is read as a tensor.
        try FileManager.default.copyItem(atPath: Repository.path("Tests/Fixtures/images/gray8.npy"), toPath: scratch + "/tensor.bin")
        let misnamed = try CommandLineTool.run(["run"] + Self.digits + ["--input", scratch + "/tensor.bin"])
        #expect(misnamed.stderr == "input 'digit': expected shape 1x1x8x8, found 11x13x1\n", "\(misnamed)")

        let size = try CommandLineTool.run(["run", "Graphs/cifar_resnet20.net", "--input", "Tests/Fixtures/images/photo.png"])
        #expect(size.status == 1)
        #expect(size.stderr == """
            note: 'cifar_resnet20' declares no preprocessing; the image's pixel values (0…255) are its input
            Tests/Fixtures/images/photo.png: image is 120×90 (width×height); the model's input 'image' takes 32×32

            """, "\(size)")

        try "a\nb\nc\n".write(toFile: scratch + "/three.txt", atomically: true, encoding: .utf8)
        let labels = try CommandLineTool.run(["run"] + Self.digits + ["--labels", scratch + "/three.txt"])
        #expect(labels.status == 1)
        #expect(labels.stderr == "\(scratch)/three.txt: has 3 labels; the model's output 'logits' has 10 classes\n", "\(labels)")

        let usage = try CommandLineTool.run(["run"] + Self.digits + ["--preprocess", "imagenet"])
        #expect(usage.status == 2)
        #expect(usage.stderr.hasPrefix("resnetc run: error: --preprocess takes only 'none' (without it the model's own preprocessing applies), found 'imagenet'"), "\(usage)")

        let dropped = try CommandLineTool.run(["run", "Graphs/digits_resnet.net", "--define", "classes=5", "--top", "1"])
        #expect(dropped.status == 0)
        #expect(dropped.stderr == "note: Graphs/digits_classes.txt has 10 labels but output 'logits' has 5 classes; the model carries no labels\n", "\(dropped)")
    }

    @Test("eval over an image folder gives the predictions of the .npy path")
    func evalFolder() throws {
        let scratch = try CommandLineTool.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let folder = try CommandLineTool.run(["eval"] + Self.digits + ["--dataset", "Graphs/digits_images",
                                                                       "--predictions", scratch + "/folder.npy"])
        #expect(folder.status == 0, "\(folder)")
        #expect(folder.stdout == "digits_resnet: top-1 100.00% (20/20), top-5 100.00% (20/20)\n")

        let images = try NPY.read(path: Repository.path("Graphs/digits_test_images.npy"))
        let targets = try NPY.read(path: Repository.path("Graphs/digits_test_labels.npy"))
        try NPY.write(Tensor(shape: [20, 1, 8, 8], data: Array(images.data[0..<(20 * 64)])), to: scratch + "/images.npy")
        try NPY.write(Tensor(shape: [20], data: Array(targets.data[0..<20])), to: scratch + "/targets.npy")
        let arrays = try CommandLineTool.run(["eval"] + Self.digits + ["--dataset", scratch + "/images.npy", "--targets",
                                                                       scratch + "/targets.npy", "--predictions", scratch + "/arrays.npy"])
        #expect(arrays.status == 0, "\(arrays)")
        let fromFolder = try NPY.read(path: scratch + "/folder.npy"), fromArrays = try NPY.read(path: scratch + "/arrays.npy")
        #expect(fromFolder.data == fromArrays.data)
        #expect(fromFolder.data == Array(targets.data[0..<20]))

        // Class names work as labels too; a misspelled one is named with its line.
        try FileManager.default.copyItem(atPath: Repository.path("Graphs/digits_images/digit_00.png"), toPath: scratch + "/a.png")
        try "file,label\na.png,seven\n".write(toFile: scratch + "/named.csv", atomically: true, encoding: .utf8)
        let named = try CommandLineTool.run(["eval"] + Self.digits + ["--dataset", scratch, "--labels-csv", scratch + "/named.csv"])
        #expect(named.stdout == "digits_resnet: top-1 100.00% (1/1), top-5 100.00% (1/1)\n", "\(named)")
        try "file,label\na.png,sevne\n".write(toFile: scratch + "/typo.csv", atomically: true, encoding: .utf8)
        let typo = try CommandLineTool.run(["eval"] + Self.digits + ["--dataset", scratch, "--labels-csv", scratch + "/typo.csv"])
        #expect(typo.status == 1)
        #expect(typo.stderr == "\(scratch)/typo.csv: line 2: unknown class 'sevne'; did you mean 'seven'?\n", "\(typo)")
        let missing = try CommandLineTool.run(["eval"] + Self.digits + ["--dataset", scratch])
        #expect(missing.stderr == "\(scratch)/labels.csv: no such file\n", "\(missing)")
    }
}
