// Error cases about program structure, lexing, types, arithmetic and shapes, with their exact text.
import ResNetCompiler

extension FrontendErrorCases {
    static let programCases: [FrontendErrorCase] = [
        FrontendErrorCase(name: "shape mismatch in add", source: """
            input x: 1x3x8x8
            output y = c1: conv(x, 4, kernel: 1) + x
            """, expected: """
            bad.net:2:38: error: add: operands differ in shape: 1x4x8x8 vs 1x3x8x8
            output y = c1: conv(x, 4, kernel: 1) + x
                                                 ^
            """),
        FrontendErrorCase(name: "conv kernel larger than input", source: """
            input x: 1x3x8x8
            output y = c1: conv(x, 4, kernel: 9)
            """, expected: """
            bad.net:2:16: error: conv 'c1': kernel 9 (dilation 1, padding 0) does not fit input 1x3x8x8
            output y = c1: conv(x, 4, kernel: 9)
                           ^
            """),
        FrontendErrorCase(name: "channels not divisible by groups", source: """
            input x: 1x3x8x8
            output y = c1: conv(x, 4, kernel: 1, groups: 2)
            """, expected: """
            bad.net:2:16: error: conv 'c1': input channels 3 are not divisible by groups 2
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
            bad.net:2:16: error: linear 'fc': expects an NxC input (flatten first), found 1x3x8x8
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
            bad.net:3:34: error: unknown op or block 'rleu'; did you mean 'relu'?
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
            bad.net:2:12: error: maxpool: kernel 16 does not fit input 1x3x8x8
            output y = maxpool(x, kernel: 16)
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
    ]
}
