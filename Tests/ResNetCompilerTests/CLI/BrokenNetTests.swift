// Broken `.net` files through the real command line: each kind gives its exact located error
// (file:line:col, the line, a caret), exit status 1 and no output file. None may crash.
import Foundation
import Testing

/// One kind of broken network: its source and the exact text `resnetc compile` prints.
struct BrokenNet: CustomStringConvertible, Sendable {
    let kind: String
    let source: String
    let expected: String
    init(_ kind: String, _ source: String, _ expected: String) {
        self.kind = kind
        self.source = source
        self.expected = expected
    }
    var description: String { kind }
}

@Suite("Broken .net files on the command line")
struct BrokenNetTests {
    static let cases: [BrokenNet] = [
        BrokenNet("add_shape_mismatch", """
            input image: 1x3x32x32
            x = conv1: conv(image, 8, kernel: 3, pad: 1)
            output y = x + image
            """, """
            add_shape_mismatch.net:3:14: error: add: operands differ in shape: 1x8x32x32 vs 1x3x32x32
            output y = x + image
                         ^
            """),
        BrokenNet("bad_number", """
            input image: 1x3x32x32
            x = conv1: conv(image, 8, kernel: 3x)
            output y = x
            """, """
            bad_number.net:2:35: error: invalid number '3x'
            x = conv1: conv(image, 8, kernel: 3x)
                                              ^
            """),
        BrokenNet("division_by_zero", """
            input image: 1x3x32x32
            param n = 0
            x = conv1: conv(image, 8 / n, kernel: 3)
            output y = x
            """, """
            division_by_zero.net:3:26: error: division by zero
            x = conv1: conv(image, 8 / n, kernel: 3)
                                     ^
            """),
        BrokenNet("duplicate_argument", """
            input image: 1x3x32x32
            x = conv1: conv(image, 8, kernel: 3, kernel: 5)
            output y = x
            """, """
            duplicate_argument.net:2:38: error: conv argument 'kernel' is given twice
            x = conv1: conv(image, 8, kernel: 3, kernel: 5)
                                                 ^
            """),
        BrokenNet("duplicate_name", """
            input image: 1x3x32x32
            x = conv1: conv(image, 8, kernel: 3)
            x = conv1: conv(x, 8, kernel: 3)
            output y = x
            """, """
            duplicate_name.net:3:5: error: layer name 'conv1' is used twice
            x = conv1: conv(x, 8, kernel: 3)
                ^
            duplicate_name.net:2:5: note: first used here
            x = conv1: conv(image, 8, kernel: 3)
                ^
            """),
        BrokenNet("groups_not_dividing", """
            input image: 1x3x32x32
            x = conv1: conv(image, 8, kernel: 3, groups: 2)
            output y = x
            """, """
            groups_not_dividing.net:2:12: error: conv 'conv1': input channels 3 are not divisible by groups 2
            x = conv1: conv(image, 8, kernel: 3, groups: 2)
                       ^
            """),
        BrokenNet("kernel_too_large", """
            input image: 1x3x32x32
            x = conv1: conv(image, 8, kernel: 40)
            output y = x
            """, """
            kernel_too_large.net:2:12: error: conv 'conv1': kernel 40 (dilation 1, padding 0) does not fit input 1x3x32x32
            x = conv1: conv(image, 8, kernel: 40)
                       ^
            """),
        BrokenNet("linear_without_flatten", """
            input image: 1x3x32x32
            output y = fc: linear(image, 10)
            """, """
            linear_without_flatten.net:2:16: error: linear 'fc': expects an NxC input (flatten first), found 1x3x32x32
            output y = fc: linear(image, 10)
                           ^
            """),
        BrokenNet("missing_argument", """
            input image: 1x3x32x32
            x = conv1: conv(image, 8)
            output y = x
            """, """
            missing_argument.net:2:12: error: conv is missing argument 'kernel'
            x = conv1: conv(image, 8)
                       ^
            """),
        BrokenNet("missing_input", """
            output y = relu(1)
            """, """
            missing_input.net: error: the network has no input; declare one, e.g. 'input image: 1x3x224x224'
            missing_input.net:1:17: error: relu argument 'x' must be a tensor, found int
            output y = relu(1)
                            ^
            """),
        BrokenNet("missing_output", """
            input image: 1x3x32x32
            x = relu(image)
            """, """
            missing_output.net: error: the network has no output; declare one, e.g. 'output logits = x'
            """),
        BrokenNet("multiple_errors", """
            input image: 1x3x32x32
            x = conv1: conv(image, 8, kernel: 3, strid: 2)
            x = bn1: batchnrom(x)
            output y = relu(q)
            """, """
            multiple_errors.net:2:38: error: conv has no parameter 'strid'; did you mean 'stride'?
            x = conv1: conv(image, 8, kernel: 3, strid: 2)
                                                 ^
            multiple_errors.net:3:10: error: unknown op or block 'batchnrom'; did you mean 'batchnorm'?
            x = bn1: batchnrom(x)
                     ^
            multiple_errors.net:4:17: error: unknown variable 'q'; did you mean 'x'?
            output y = relu(q)
                            ^
            """),
        BrokenNet("recursion", """
            input image: 1x3x32x32
            block b(x) {
              return b(x)
            }
            output y = b(image)
            """, """
            recursion.net:3:10: error: block 'b' calls itself
              return b(x)
                     ^
            """),
        BrokenNet("repeat_undefined", """
            input image: 1x3x32x32
            z = layer1: repeat 2 { relu(z) }
            output y = z
            """, """
            repeat_undefined.net:2:1: error: 'z = repeat …' updates 'z', which is not defined yet
            z = layer1: repeat 2 { relu(z) }
            ^
            """),
        BrokenNet("repeat_zero", """
            input image: 1x3x32x32
            x = conv1: conv(image, 3, kernel: 3, pad: 1)
            x = layer1: repeat 0 { relu(x) }
            output y = x
            """, """
            repeat_zero.net:3:20: error: repeat count must be between 1 and 10000, found 0
            x = layer1: repeat 0 { relu(x) }
                               ^
            """),
        BrokenNet("return_outside_block", """
            input image: 1x3x32x32
            return relu(image)
            """, """
            return_outside_block.net: error: the network has no output; declare one, e.g. 'output logits = x'
            return_outside_block.net:2:1: error: 'return' is only allowed inside a block
            return relu(image)
            ^
            """),
        BrokenNet("two_inputs", """
            input image: 1x3x32x32
            input other: 1x3x32x32
            output y = relu(image)
            """, """
            two_inputs.net:2:1: error: a network takes exactly one input
            input other: 1x3x32x32
            ^
            two_inputs.net:1:1: note: first input declared here
            input image: 1x3x32x32
            ^
            """),
        BrokenNet("unexpected_character", """
            input image: 1x3x32x32
            output y = relu(image) @
            """, """
            unexpected_character.net:2:24: error: unexpected character '@'
            output y = relu(image) @
                                   ^
            """),
        BrokenNet("unknown_argument", """
            input image: 1x3x32x32
            x = conv1: conv(image, 8, kernel: 3, strid: 2)
            output y = x
            """, """
            unknown_argument.net:2:38: error: conv has no parameter 'strid'; did you mean 'stride'?
            x = conv1: conv(image, 8, kernel: 3, strid: 2)
                                                 ^
            """),
        BrokenNet("unknown_op", """
            input image: 1x3x32x32
            x = conv1: conv(image, 8, kernel: 3) -> bn1: batchnrom
            output y = x
            """, """
            unknown_op.net:2:46: error: unknown op or block 'batchnrom'; did you mean 'batchnorm'?
            x = conv1: conv(image, 8, kernel: 3) -> bn1: batchnrom
                                                         ^
            """),
        BrokenNet("unknown_variable", """
            input image: 1x3x32x32
            x = conv1: conv(imgae, 8, kernel: 3)
            output y = x
            """, """
            unknown_variable.net:2:17: error: unknown variable 'imgae'; did you mean 'image'?
            x = conv1: conv(imgae, 8, kernel: 3)
                            ^
            """),
        BrokenNet("unlabeled_conv", """
            input image: 1x3x32x32
            x = conv(image, 8, kernel: 3)
            output y = x
            """, """
            unlabeled_conv.net:2:5: error: conv has parameters and needs a name, e.g. 'conv1: conv(...)'
            x = conv(image, 8, kernel: 3)
                ^
            """),
        BrokenNet("unterminated_block", """
            input image: 1x3x32x32
            block b(x) {
              return relu(x)
            output y = b(image)
            """, """
            unterminated_block.net:2:12: error: unterminated '{'; expected '}' before 'output'
            block b(x) {
                       ^
            """),
        BrokenNet("wrong_type", """
            input image: 1x3x32x32
            x = conv1: conv(image, 8, kernel: image)
            output y = x
            """, """
            wrong_type.net:2:35: error: conv argument 'kernel' must be an int, found tensor
            x = conv1: conv(image, 8, kernel: image)
                                              ^
            """),    ]

    @Test("each kind of broken network gives its located error and exit 1", arguments: cases)
    func brokenNetwork(_ broken: BrokenNet) throws {
        let dir = try CommandLineTool.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try (broken.source + "\n").write(toFile: "\(dir)/\(broken.kind).net", atomically: true, encoding: .utf8)
        let result = try CommandLineTool.run(["compile", "\(broken.kind).net", "-o", "out.rnc"], in: dir)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == broken.expected + "\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.rnc"))
    }

    @Test("a file that is not text, an empty file and a missing file")
    func notText() throws {
        let dir = try CommandLineTool.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data([0x69, 0x6E, 0x0A, 0x00, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: dir + "/binary.net"))
        try Data().write(to: URL(fileURLWithPath: dir + "/empty.net"))
        let binary = try CommandLineTool.run(["compile", "binary.net"], in: dir)
        #expect(binary.status == 1)
        #expect(binary.stderr == "binary.net: error: source is not valid UTF-8\n")
        let empty = try CommandLineTool.run(["compile", "empty.net"], in: dir)
        #expect(empty.status == 1)
        #expect(empty.stderr.hasPrefix("empty.net: error: "), "\(empty)")
        let missing = try CommandLineTool.run(["compile", "missing.net"], in: dir)
        #expect(missing.status == 1)
        #expect(missing.stderr == "missing.net: error: cannot read file (does it exist?)\n")
    }
}
