// Bad input never crashes the frontend: truncations, random mutations, deep nesting, limits.
import Testing
import ResNetCompiler

@Suite struct FrontendRobustnessTests {
    /// Elaborates `source`; returns whether it succeeded. A DSLError is an allowed outcome.
    private func survives(_ source: String, options: FrontendOptions = .init()) -> Bool {
        do {
            _ = try Frontend.elaborate(source: source, fileName: "fuzz.net", options: options)
            return true
        } catch {
            #expect(!error.diagnostics.isEmpty)
            #expect(error.rendered.hasPrefix("fuzz.net"))
            return false
        }
    }

    @Test func everyLinePrefixOfResNet50ElaboratesOrFails() {
        let lines = FrontendTestSources.resnet50.split(separator: "\n", omittingEmptySubsequences: false)
        var successes = 0
        for cut in 0...lines.count where survives(lines.prefix(cut).joined(separator: "\n")) { successes += 1 }
        // Only prefixes that include the output line can succeed.
        #expect(successes == 1)
    }

    @Test func randomByteMutationsElaborateOrFail() {
        var rng = SplitMix64(seed: 0x5EED)
        let original = Array(FrontendTestSources.resnet50.utf8)
        let alphabet = Array("(){}[]:=,.-+*/%?<>!#\n\t x0123456789abcz_é".utf8)
        for _ in 0..<200 {
            var bytes = original
            for _ in 0..<Int(rng.next() % 4 + 1) {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: at)
                default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
                }
            }
            _ = survives(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        #expect(failure("input x: 1x3x8x8\noutput y = c: conv(x, 4, kernel: 3, pad: 9223372036854775807)")
            .contains("error: conv argument 'pad' is out of range: 9223372036854775807 (limit 16777216)"))
        #expect(failure("input x: 1x3x8x8\noutput y = c: conv(x, 16777216, kernel: 4096, pad: 2048)")
            .contains("error: conv 'c' weight of shape 16777216x3x4096x4096 has more than 2^31 elements"))
        let nested = "block b(x) {\n  x = repeat 10000 { x }\n  return x\n}\n"
            + "input x: 1x3x8x8\nx = repeat 10000 { b(x) }\noutput y = x"
        #expect(failure(nested).contains("error: elaboration takes more than 1000000 steps"))
        let flood = failure(String(repeating: "$\n", count: 10_000)).split(separator: "\n")
        #expect(flood.first == "fuzz.net: error: too many errors (more than 100); stopping")
        #expect(flood.count == 3 + 100 * 3)  // plus "no input" and "no output"
        let parens = String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000)
        #expect(!survives("param p = \(parens)\n"))
        #expect(!survives("param p = " + String(repeating: "-", count: 5_000) + "1\n"))
        #expect(!survives("param p = 1" + String(repeating: " + 1", count: 100_000) + "\n"))
        #expect(!survives(String(repeating: "if true {", count: 5_000)))
        #expect(!survives("input x: 1x3x8x8\ny = relu(x)" + String(repeating: " -> relu", count: 20_000) + "\noutput o = y"))
    }

    /// The rendered error of a source expected to fail ("" if it elaborated).
    private func failure(_ source: String, options: FrontendOptions = .init()) -> String {
        do {
            _ = try Frontend.elaborate(source: source, fileName: "fuzz.net", options: options)
            return ""
        } catch {
            return error.rendered
        }
    }

    @Test func limitsAreCheckedErrors() {
        #expect(failure(String(repeating: "#", count: (1 << 20) + 1))
                == "fuzz.net: error: source is larger than 1 MiB (1048577 bytes)")
        #expect(failure("input x: 1x3x8x8\nx = repeat 100000 { relu(x) }\noutput y = x")
            .contains("repeat count must be between 1 and 10000, found 100000"))
        #expect(failure("input x: 65536x65536x2x1\noutput y = relu(x)")
            .contains("tensor of shape 65536x65536x2x1 has more than 2^31 elements"))
        #expect(failure("input x: 1x3x99999999999999999999x1\noutput y = relu(x)")
            .hasPrefix("fuzz.net:1:10: error: number '1x3x99999999999999999999x1' is too large\n"))
        #expect(failure("input x: 1x3x8x8\noutput y = relu(x)", options: FrontendOptions(batch: 0))
                == "fuzz.net: error: --batch must be ≥ 1, found 0")
        // 11 nodes per iteration × 10,000 > 100,000 nodes.
        let many = "input x: 1x3x2x2\nx = repeat 10000 { y = relu(x) -> relu -> relu -> relu -> relu\n"
            + "y = relu(y) -> relu -> relu -> relu -> relu -> relu\n y }\noutput o = x"
        #expect(failure(many).contains("error: the network has more than 100000 nodes"))
        #expect(failure("param p = 1" + String(repeating: " + 1", count: 600) + "\n")
            .contains("error: expression has more than 500 operators"))
        #expect(failure("input x: 1x3x8x8\noutput y = c: conv(x, 4, kernel: 3, pad: 9223372036854775807)")
            .contains("error: conv argument 'pad' is out of range: 9223372036854775807 (limit 16777216)"))
        #expect(failure("input x: 1x3x8x8\noutput y = c: conv(x, 16777216, kernel: 4096, pad: 2048)")
            .contains("error: conv 'c' weight of shape 16777216x3x4096x4096 has more than 2^31 elements"))
        let nested = "block b(x) {\n  x = repeat 10000 { x }\n  return x\n}\n"
            + "input x: 1x3x8x8\nx = repeat 10000 { b(x) }\noutput y = x"
        #expect(failure(nested).contains("error: elaboration takes more than 1000000 steps"))
        let flood = failure(String(repeating: "$\n", count: 10_000)).split(separator: "\n")
        #expect(flood.first == "fuzz.net: error: too many errors (more than 100); stopping")
        #expect(flood.count == 3 + 100 * 3)  // plus "no input" and "no output"
        let parens = String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000)
        #expect(failure("param p = \(parens)\n").contains("error: nesting is deeper than 100 levels"))
    }

    @Test func blockNestingDepthIsLimited() {
        var source = "input x: 1x3x8x8\n"
        for i in 0..<70 { source += "block b\(i)(t) { return b\(i + 1)(t) }\n" }
        source += "block b70(t) { return relu(t) }\noutput y = b0(x)\n"
        #expect(failure(source).contains("error: blocks are nested more than 64 calls deep"))
    }
}

/// A small deterministic random generator for reproducible fuzzing.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
