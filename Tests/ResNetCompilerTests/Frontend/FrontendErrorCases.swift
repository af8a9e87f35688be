// The table of bad sources and the exact text the frontend must print for each.
import ResNetCompiler

/// One bad source and its expected rendered errors.
struct FrontendErrorCase: Sendable, CustomStringConvertible {
    var name: String
    var source: String
    var options = FrontendOptions()
    var expected: String
    var description: String { name }
}

enum FrontendErrorCases {
    static let all: [FrontendErrorCase] = [
        FrontendErrorCase(name: "unknown op with suggestion", source: """
            input x: 1x3x8x8
            y = c1: conv(x, 4, kernel: 3) -> b1: batchnrom -> relu
            output y = y
            """, expected: """
            bad.net:2:38: error: unknown op or block 'batchnrom'; did you mean 'batchnorm'?
            y = c1: conv(x, 4, kernel: 3) -> b1: batchnrom -> relu
                                                 ^
            """),
        FrontendErrorCase(name: "unknown named argument with suggestion", source: """
            input x: 1x3x8x8
            output y = c1: conv(x, 4, kernel: 3, strid: 2)
            """, expected: """
            bad.net:2:38: error: conv has no parameter 'strid'; did you mean 'stride'?
            output y = c1: conv(x, 4, kernel: 3, strid: 2)
                                                 ^
            """),
        FrontendErrorCase(name: "unknown variable with suggestion", source: """
            input image: 1x3x8x8
            output y = relu(imag)
            """, expected: """
            bad.net:2:17: error: unknown variable 'imag'; did you mean 'image'?
            output y = relu(imag)
                            ^
            """),
        FrontendErrorCase(name: "missing argument", source: """
            input x: 1x3x8x8
            output y = c1: conv(x, 4)
            """, expected: """
            bad.net:2:16: error: conv is missing argument 'kernel'
            output y = c1: conv(x, 4)
                           ^
            """),
        FrontendErrorCase(name: "argument given twice", source: """
            input x: 1x3x8x8
            output y = c1: conv(x, 4, 3, kernel: 3)
            """, expected: """
            bad.net:2:30: error: conv argument 'kernel' is given twice
            output y = c1: conv(x, 4, 3, kernel: 3)
                                         ^
            """),
        FrontendErrorCase(name: "wrong argument type", source: """
            input x: 1x3x8x8
            output y = c1: conv(x, 4, kernel: x)
            """, expected: """
            bad.net:2:35: error: conv argument 'kernel' must be an int, found tensor
            output y = c1: conv(x, 4, kernel: x)
                                              ^
            """),
        FrontendErrorCase(name: "unlabeled conv", source: """
            input x: 1x3x8x8
            output y = conv(x, 4, kernel: 3)
            """, expected: """
            bad.net:2:12: error: conv has parameters and needs a name, e.g. 'conv1: conv(...)'
            output y = conv(x, 4, kernel: 3)
                       ^
            """),
        FrontendErrorCase(name: "duplicate layer name with note", source: """
            input x: 1x3x8x8
            y = c1: conv(x, 4, kernel: 3)
            output y = c1: conv(y, 4, kernel: 3)
            """, expected: """
            bad.net:3:12: error: layer name 'c1' is used twice
            output y = c1: conv(y, 4, kernel: 3)
                       ^
            bad.net:2:5: note: first used here
            y = c1: conv(x, 4, kernel: 3)
                ^
            """),
        FrontendErrorCase(name: "shape mismatch in add", source: """
            input x: 1x3x8x8
            output y = c1: conv(x, 4, kernel: 1) + x
            """, expected: """
            bad.net:2:38: error: add: add operands differ in shape: 1x4x8x8 vs 1x3x8x8
            output y = c1: conv(x, 4, kernel: 1) + x
                                                 ^
            """),
        FrontendErrorCase(name: "conv kernel larger than input", source: """
            input x: 1x3x8x8
            output y = c1: conv(x, 4, kernel: 9)
            """, expected: """
            bad.net:2:16: error: conv 'c1': conv kernel 9 (dilation 1, padding 0) does not fit input 1x3x8x8
            output y = c1: conv(x, 4, kernel: 9)
                           ^
            """),
        FrontendErrorCase(name: "channels not divisible by groups", source: """
            input x: 1x3x8x8
            output y = c1: conv(x, 4, kernel: 1, groups: 2)
            """, expected: """
            bad.net:2:16: error: conv 'c1': conv input channels 3 are not divisible by groups 2
            output y = c1: conv(x, 4, kernel: 1, groups: 2)
                           ^
            """),
        FrontendErrorCase(name: "repeat count 0", source: """
            input x: 1x3x8x8
            x = repeat 0 { relu(x) }
            output y = x
            """, expected: """
            bad.net:2:12: error: repeat count must be between 1 and 10000, found 0
            x = repeat 0 { relu(x) }
                       ^
            """),
        FrontendErrorCase(name: "recursion", source: """
            block b(x) {
              return b(x)
            }
            input x: 1x3x8x8
            output y = b(x)
            """, expected: """
            bad.net:2:10: error: block 'b' calls itself
              return b(x)
                     ^
            """),
        FrontendErrorCase(name: "indirect recursion", source: """
            block a(x) { return b(x) }
            block b(x) { return a(x) }
            input x: 1x3x8x8
            output y = a(x)
            """, expected: """
            bad.net:2:21: error: block 'a' calls itself
            block b(x) { return a(x) }
                                ^
            """),
        FrontendErrorCase(name: "missing output", source: """
            input x: 1x3x8x8
            y = relu(x)
            """, expected: """
            bad.net: error: the network has no output; declare one, e.g. 'output logits = x'
            """),
        FrontendErrorCase(name: "missing input", source: """
            param n = 2
            """, expected: """
            bad.net: error: the network has no input; declare one, e.g. 'input image: 1x3x224x224'
            bad.net: error: the network has no output; declare one, e.g. 'output logits = x'
            """),
        FrontendErrorCase(name: "two inputs", source: """
            input x: 1x3x8x8
            input z: 1x3x8x8
            output y = relu(x)
            """, expected: """
            bad.net:2:1: error: a network takes exactly one input
            input z: 1x3x8x8
            ^
            bad.net:1:1: note: first input declared here
            input x: 1x3x8x8
            ^
            """),
        FrontendErrorCase(name: "unterminated brace", source: """
            block b(x) {
              return relu(x)
            input x: 1x3x8x8
            output y = b(x)
            """, expected: """
            bad.net:1:12: error: unterminated '{'; expected '}' before 'input'
            block b(x) {
                       ^
            """),
        FrontendErrorCase(name: "unexpected character", source: """
            input x: 1x3x8x8
            output y = relu(x) $
            """, expected: """
            bad.net:2:20: error: unexpected character '$'
            output y = relu(x) $
                               ^
            """),
        FrontendErrorCase(name: "bad number", source: """
            input x: 1x3x8x8
            output y = c1: conv(x, 4ab, kernel: 3)
            """, expected: """
            bad.net:2:24: error: invalid number '4ab'
            output y = c1: conv(x, 4ab, kernel: 3)
                                   ^
            """),
        FrontendErrorCase(name: "division by zero", source: """
            param k = 3 / (2 - 2)
            input x: 1x3x8x8
            output y = relu(x)
            """, expected: """
            bad.net:1:13: error: division by zero
            param k = 3 / (2 - 2)
                        ^
            """),
        FrontendErrorCase(name: "define of unknown param", source: """
            param classes = 10
            input x: 1x3x8x8
            output y = relu(x)
            """, options: FrontendOptions(defines: ["classs": 100]), expected: """
            bad.net: error: --define of unknown param 'classs'; did you mean 'classes'?
            """),
        FrontendErrorCase(name: "linear without flatten", source: """
            input x: 1x3x8x8
            output y = fc: linear(x, 10)
            """, expected: """
            bad.net:2:16: error: linear 'fc': linear expects an NxC input (flatten first), found 1x3x8x8
            output y = fc: linear(x, 10)
                           ^
            """),
        FrontendErrorCase(name: "return outside block", source: """
            input x: 1x3x8x8
            return x
            output y = relu(x)
            """, expected: """
            bad.net:2:1: error: 'return' is only allowed inside a block
            return x
            ^
            """),
        FrontendErrorCase(name: "repeat on undefined variable", source: """
            input x: 1x3x8x8
            z = repeat 2 { relu(z) }
            output y = relu(x)
            """, expected: """
            bad.net:2:1: error: 'z = repeat …' updates 'z', which is not defined yet
            z = repeat 2 { relu(z) }
            ^
            """),
        FrontendErrorCase(name: "multiple errors, all reported in order", source: """
            input x: 1x3x8x8
            a = relu(x
            b = c1: conv(x, 4, kernel: 3) -> rleu
            c = relu(q)
            output y = relu(x)
            """, expected: """
            bad.net:2:11: error: expected ',' or ')' in the argument list, found end of line
            a = relu(x
                      ^
            bad.net:3:34: error: unknown op or block 'rleu'
            b = c1: conv(x, 4, kernel: 3) -> rleu
                                             ^
            bad.net:4:10: error: unknown variable 'q'; did you mean 'a'?
            c = relu(q)
                     ^
            """),
        FrontendErrorCase(name: "caret under a tab-indented column", source: """
            input x: 1x3x8x8
            block b(t) {
            \treturn sigmod(t)
            }
            output y = b(x)
            """, expected: """
            bad.net:3:9: error: unknown op or block 'sigmod'; did you mean 'sigmoid'?
            \treturn sigmod(t)
            \t       ^
            """),
        FrontendErrorCase(name: "unnamed op shape error", source: """
            input x: 1x3x8x8
            output y = maxpool(x, kernel: 16)
            """, expected: """
            bad.net:2:12: error: maxpool: maxpool kernel 16 does not fit input 1x3x8x8
            output y = maxpool(x, kernel: 16)
                       ^
            """),
        FrontendErrorCase(name: "block without return", source: """
            block b(x) {
              y = relu(x)
            }
            input x: 1x3x8x8
            output y = b(x)
            """, expected: """
            bad.net:3:1: error: block 'b' ends without 'return'
            }
            ^
            """),
        FrontendErrorCase(name: "block missing argument and unknown named argument", source: """
            block b(x, planes) { return relu(x) }
            input x: 1x3x8x8
            y = b(x)
            output z = b(x, plane: 3)
            """, expected: """
            bad.net:3:5: error: block 'b' is missing argument 'planes'
            y = b(x)
                ^
            bad.net:4:17: error: block 'b' has no parameter 'plane'; did you mean 'planes'?
            output z = b(x, plane: 3)
                            ^
            """),
        FrontendErrorCase(name: "condition not a bool", source: """
            input x: 1x3x8x8
            if channels(x) { x = relu(x) }
            output y = x
            """, expected: """
            bad.net:2:4: error: condition must be a bool, found int
            if channels(x) { x = relu(x) }
               ^
            """),
        FrontendErrorCase(name: "integer overflow", source: """
            param big = 9223372036854775807 + 1
            input x: 1x3x8x8
            output y = relu(x)
            """, expected: """
            bad.net:1:33: error: integer overflow in '+'
            param big = 9223372036854775807 + 1
                                            ^
            """),
        FrontendErrorCase(name: "blocks do not see top-level variables", source: """
            input x: 1x3x8x8
            w = relu(x)
            block b(t) { return t + w }
            output y = b(x)
            """, expected: """
            bad.net:3:25: error: unknown variable 'w' (blocks see only their parameters, their own variables and params)
            block b(t) { return t + w }
                                    ^
            """),
        FrontendErrorCase(name: "input dimension zero", source: """
            input x: [1, 3, 0, 8]
            output y = relu(x)
            """, expected: """
            bad.net:1:1: error: input dimensions must be ≥ 1, found 0 in 1x3x0x8
            input x: [1, 3, 0, 8]
            ^
            """),
        FrontendErrorCase(name: "unknown top-level keyword", source: """
            netwrk demo
            input x: 1x3x8x8
            output y = relu(x)
            """, expected: """
            bad.net:1:1: error: unknown statement 'netwrk'; did you mean 'network'?
            netwrk demo
            ^
            """),
        FrontendErrorCase(name: "label in the then branch of ?:", source: """
            input x: 1x3x8x8
            output y = true ? r: relu(x) : x
            """, expected: """
            bad.net:2:30: error: labels are not allowed in the 'then' branch of '?:'; wrap it in parentheses
            output y = true ? r: relu(x) : x
                                         ^
            """),
        FrontendErrorCase(name: "repeat outside an assignment", source: """
            input x: 1x3x8x8
            output y = relu(repeat 2 { relu(x) })
            """, expected: """
            bad.net:2:17: error: 'repeat' is only allowed as 'name = repeat N { … }'
            output y = relu(repeat 2 { relu(x) })
                            ^
            """),
        FrontendErrorCase(name: "positional argument after named", source: """
            input x: 1x3x8x8
            output y = c1: conv(x, out: 4, 3)
            """, expected: """
            bad.net:2:32: error: positional argument after a named argument
            output y = c1: conv(x, out: 4, 3)
                                           ^
            """),
        FrontendErrorCase(name: "too many positional arguments", source: """
            input x: 1x3x8x8
            output y = relu(x, x)
            """, expected: """
            bad.net:2:20: error: relu takes at most 1 argument, found 2
            output y = relu(x, x)
                               ^
            """),
        FrontendErrorCase(name: "defaults of an unknown op and parameter", source: """
            defaults convv(bias: false)
            defaults conv(bia: false)
            input x: 1x3x8x8
            output y = relu(x)
            """, expected: """
            bad.net:1:10: error: unknown op 'convv'; did you mean 'conv'?
            defaults convv(bias: false)
                     ^
            bad.net:2:15: error: conv has no parameter 'bia'; did you mean 'bias'?
            defaults conv(bia: false)
                          ^
            """),
        FrontendErrorCase(name: "output and param of the wrong type", source: """
            param p = 1.5
            input x: 1x3x8x8
            output y = channels(x)
            """, expected: """
            bad.net:1:11: error: param 'p' must be an int, found float
            param p = 1.5
                      ^
            bad.net:3:12: error: output 'y' must be a tensor, found int
            output y = channels(x)
                       ^
            """),
        FrontendErrorCase(name: "block defined twice", source: """
            block b(x) { return x }
            block b(x) { return relu(x) }
            input x: 1x3x8x8
            output y = b(x)
            """, expected: """
            bad.net:2:7: error: block 'b' is defined twice
            block b(x) { return relu(x) }
                  ^
            bad.net:1:7: note: first defined here
            block b(x) { return x }
                  ^
            """),
        FrontendErrorCase(name: "errors inside a repeated block are reported once", source: """
            block b(x) { return x + y }
            input x: 1x3x8x8
            x = layer: repeat 3 { b(x) }
            x = b(x)
            output y = x
            """, expected: """
            bad.net:1:25: error: unknown variable 'y'; did you mean 'x'?
            block b(x) { return x + y }
                                    ^
            """),
    ]
}
