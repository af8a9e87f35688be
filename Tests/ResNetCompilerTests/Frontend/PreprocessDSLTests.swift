// `preprocess { … }` and `labels "file"`: what valid items elaborate to (params, real-number
// scale, --define), and the exact located errors for bad ones.
import ResNetCompiler
import ResNetRuntime
import Testing

@Suite("preprocess and labels in the DSL")
struct PreprocessDSLTests {
    static let imagenetNet = """
        param size = 224
        input image: [1, 3, size, size]
        preprocess {
          resize size * 256 / 224
          center_crop size
          scale 1 / 255
          mean [0.485, 0.456, 0.406]
          std [0.229, 0.224, 0.225]
        }
        output y = flatten(global_avgpool(image))
        """

    @Test("sizes use int arithmetic and params; scale, mean and std are real numbers")
    func imagenetRecipe() throws {
        let network = try Frontend.elaborateNetwork(source: Self.imagenetNet, fileName: "net.net")
        #expect(network.preprocess == Preprocessing.imagenet)
        #expect(network.preprocess?.scale == 1.0 / 255)
        let small = try Frontend.elaborateNetwork(source: Self.imagenetNet, fileName: "net.net",
                                                  options: FrontendOptions(defines: ["size": 160]))
        #expect(small.preprocess?.resize == .shorterSide(size: 182))
        #expect(small.preprocess?.centerCrop == [160, 160])
    }

    @Test("preprocess none, exact sizes, one-line bodies, and the words still usable as variables")
    func forms() throws {
        let none = "input image: 1x1x8x8\npreprocess none\noutput y = flatten(image)\n"
        #expect(try Frontend.elaborateNetwork(source: none, fileName: "n.net").preprocess == nil)
        let exact = "input image: 1x1x8x8\npreprocess { resize [8, 8] }\noutput y = flatten(image)\n"
        #expect(try Frontend.elaborateNetwork(source: exact, fileName: "n.net").preprocess
                == Preprocessing(resize: .exact(height: 8, width: 8)))
        let variables = "input image: 1x1x8x8\npreprocess = relu(image)\nlabels = flatten(preprocess)\noutput y = labels\n"
        let network = try Frontend.elaborateNetwork(source: variables, fileName: "n.net")
        #expect(network.preprocess == nil && network.graph.nodes.count == 3)
    }

    @Test("labels are read relative to the labels directory (the .net file's, from compile(path:)) and dropped with a note when the classes differ")
    func labels() throws {
        let source = "param classes = 10\ninput digit: 1x1x8x8\nlabels \"digits_classes.txt\"\n"
            + "output logits = fc: linear(flatten(digit), classes)\n"
        let directory = Repository.path("Graphs")
        let network = try Frontend.elaborateNetwork(source: source, fileName: "test.net",
                                                    options: FrontendOptions(labelsDirectory: directory))
        #expect(network.labels?.count == 10 && network.labels?[7] == "seven")
        #expect(network.labelsPath == Repository.path("Graphs/digits_classes.txt"))
        // Source text with no directory of its own: the labels file is not read.
        let inMemory = try Frontend.elaborateNetwork(source: source, fileName: "test.net")
        #expect(inMemory.labels == nil && inMemory.notes.isEmpty)
        let changed = try Frontend.elaborateNetwork(source: source, fileName: "test.net",
                                                    options: FrontendOptions(defines: ["classes": 5], labelsDirectory: directory))
        #expect(changed.labels == nil)
        #expect(changed.notes == ["\(Repository.path("Graphs/digits_classes.txt")) has 10 labels but output 'logits' has 5 classes; the model carries no labels"])
    }

    @Test("the digits demo carries its recipe and class names into the plan")
    func digitsPlan() throws {
        let compilation = try Compiler.compile(path: Repository.path("Graphs/digits_resnet.net"))
        let plan = compilation.lowered.plan
        #expect(plan.preprocess == Preprocessing(resize: .exact(height: 8, width: 8), scale: 1.0 / 255))
        #expect(plan.labels == ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
        let model = try Model(bytes: try compilation.encoded())
        #expect(model.plan.preprocess == plan.preprocess && model.plan.labels == plan.labels)
    }

    static let errorCases: [(String, String)] = [
        ("input image: [1, 3, 8, 8]\npreprocess {\n  resise 9\n  resize 0\n  center_crop [8, 8, 8]\n  scale [1, 2]\n  std 0\n}\noutput y = flatten(image)\n", """
        bad.net:3:3: error: unknown preprocessing step 'resise'; did you mean 'resize'? (known: resize, center_crop, scale, mean, std)
          resise 9
          ^
        bad.net:4:10: error: resize size must be between 1 and 65536, found 0
          resize 0
                 ^
        bad.net:5:3: error: center_crop takes one size or [height, width], found 3 values
          center_crop [8, 8, 8]
          ^
        bad.net:6:3: error: scale takes one number, found a list
          scale [1, 2]
          ^
        bad.net:7:7: error: std must not be zero
          std 0
              ^
        """),
        ("input image: [1, 3, 8, 8]\npreprocess {\n  scale 1 / 0\n  mean [true]\n  resize 2.5\n}\noutput y = flatten(image)\n", """
        bad.net:3:11: error: division by zero
          scale 1 / 0
                  ^
        bad.net:4:9: error: preprocessing values must be numbers, found bool
          mean [true]
                ^
        bad.net:5:10: error: resize size must be an int, found float
          resize 2.5
                 ^
        """),
        ("input image: [1, 3, 8, 8]\npreprocess {\n  resize 10\n  center_crop 9\n}\noutput y = flatten(image)\n", """
        bad.net:4:3: error: center_crop gives 9×9; input 'image' takes 8×8 (height×width)
          center_crop 9
          ^
        """),
        ("input image: [1, 3, 8, 8]\npreprocess {\n  resize [6, 8]\n  center_crop 8\n}\noutput y = flatten(image)\n", """
        bad.net:4:3: error: center_crop 8×8 is larger than the resized image 6×8
          center_crop 8
          ^
        """),
        ("input image: [1, 3, 8, 8]\npreprocess { resize 9 }\noutput y = flatten(image)\n", """
        bad.net:2:14: error: resize 9 sets the shorter side to 9; input 'image' takes 8×8 (height×width) (add center_crop)
        preprocess { resize 9 }
                     ^
        """),
        ("input image: [1, 3, 8, 8]\npreprocess { mean [0.5, 0.5] }\noutput y = flatten(image)\n", """
        bad.net:2:14: error: mean has 2 values; input 'image' has 3 channels (give 1 or 3)
        preprocess { mean [0.5, 0.5] }
                     ^
        """),
        ("input v: [1, 4, 8]\npreprocess { scale 2 }\noutput y = flatten(v)\n", """
        bad.net:2:1: error: preprocess needs an image input of shape Nx1xHxW or Nx3xHxW; input 'v' is 1x4x8
        preprocess { scale 2 }
        ^
        """),
        ("input image: [1, 3, 8, 8]\npreprocess none\npreprocess { scale 2 }\nlabels \"missing.txt\"\noutput y = flatten(image)\n", """
        bad.net:3:1: error: 'preprocess' is declared twice
        preprocess { scale 2 }
        ^
        bad.net:2:1: note: first declared here
        preprocess none
        ^
        bad.net:4:8: error: cannot read labels: missing.txt: no such file
        labels "missing.txt"
               ^
        """),
        ("input image: [1, 3, 8, 8]\npreprocess {\n  scale 2\nx = image\nlabels three\nlabels \"a.txt\noutput y = flatten(x)\n", """
        bad.net:2:12: error: unterminated '{'; expected '}' before 'x'
        preprocess {
                   ^
        bad.net:5:8: error: expected a file name in quotes after 'labels', found 'three'
        labels three
               ^
        bad.net:6:8: error: unterminated string; a string ends with '"' on the same line
        labels "a.txt
               ^
        """),
        ("input image: [1, 3, 8, 8]\nif true {\n  preprocess none\n}\npreprocess nothing\npreprocess { scale 2 2 }\noutput y = flatten(image)\n", """
        bad.net:3:3: error: 'preprocess' is only allowed at the top level
          preprocess none
          ^
        bad.net:5:12: error: expected '{' or 'none' after 'preprocess', found 'nothing'
        preprocess nothing
                   ^
        bad.net:6:22: error: expected end of line after the 'scale' setting, found '2'
        preprocess { scale 2 2 }
                             ^
        """),
    ]

    @Test("bad items give exact located errors", arguments: 0..<errorCases.count)
    func errors(index: Int) {
        let (source, expected) = Self.errorCases[index]
        do {
            _ = try Frontend.elaborateNetwork(source: source, fileName: "bad.net", options: FrontendOptions(labelsDirectory: ""))
            Issue.record("expected an error")
        } catch {
            #expect(error.rendered == expected)
        }
    }
}
