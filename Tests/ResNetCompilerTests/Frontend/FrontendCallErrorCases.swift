// Error cases about calls, arguments, names, blocks and repeat, with their exact rendered text.
import ResNetCompiler

extension FrontendErrorCases {
    static let callCases: [FrontendErrorCase] = [
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
