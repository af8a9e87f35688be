// Resource limits: every over-limit input is an error with an exact text, checked before the
// memory it would need is allocated; the limits are adjustable (FrontendLimits, RuntimeLimits).
import Foundation
import ResNetCompiler
import ResNetRuntime
import Testing

@Suite("Resource limits")
struct LimitTests {
    /// The first rendered line of elaborating `source` under `limits` ("" when it elaborates).
    private func firstError(_ source: String, _ limits: FrontendLimits) -> String {
        do {
            _ = try Frontend.elaborate(source: source, fileName: "limits.net", options: FrontendOptions(limits: limits))
            return ""
        } catch {
            return String(error.rendered.split(separator: "\n").first ?? "")
        }
    }

    /// The error lines (those with `error:`) of elaborating `source` under `limits`.
    private func errors(_ source: String, _ limits: FrontendLimits) -> [String] {
        do {
            _ = try Frontend.elaborate(source: source, fileName: "limits.net", options: FrontendOptions(limits: limits))
            return []
        } catch {
            return error.rendered.split(separator: "\n").map(String.init).filter { $0.contains("error:") }
        }
    }

    private static let chain = """
        input x: 1x3x8x8
        x = c: conv(x, 8, kernel: 3) -> relu -> relu
        output y = x
        """

    @Test("the frontend's limits are adjustable and each names its value")
    func frontendLimits() {
        #expect(firstError(Self.chain, .standard) == "")
        #expect(firstError(Self.chain, FrontendLimits(maxNodes: 3))
                == "limits.net:2:41: error: the network has more than 3 nodes")
        // conv 8x3x3x3 weight + 8 bias = 224 parameters.
        #expect(firstError(Self.chain, FrontendLimits(maxParameters: 223))
                == "limits.net:2:8: error: the network has more than 223 parameters")
        #expect(firstError(Self.chain, FrontendLimits(maxParameters: 224)) == "")
        #expect(firstError(Self.chain, FrontendLimits(maxTensorElements: 191))
                == "limits.net:1:1: error: tensor of shape 1x3x8x8 has more than 191 elements")
        #expect(firstError(Self.chain, FrontendLimits(maxTensorElements: 1 << 20))
                == "")
        let repeated = "input x: 1x3x8x8\nx = repeat 5 { relu(x) }\noutput y = x"
        #expect(firstError(repeated, FrontendLimits(maxRepeat: 4))
                == "limits.net:2:12: error: repeat count must be between 1 and 4, found 5")
        // The step budget stops the repeat before the output line runs, hence "no output" too.
        #expect(errors(repeated, FrontendLimits(maxSteps: 4))
                == ["limits.net: error: the network has no output; declare one, e.g. 'output logits = x'",
                    "limits.net:2:5: error: elaboration takes more than 4 steps (nested repeats?)"])
        let nested = """
            block a(x) { return b(x) }
            block b(x) { return c(x) }
            block c(x) { return relu(x) }
            input x: 1x3x8x8
            output y = a(x)
            """
        #expect(firstError(nested, FrontendLimits(maxBlockDepth: 3)) == "")
        #expect(firstError(nested, FrontendLimits(maxBlockDepth: 2))
                == "limits.net:2:21: error: blocks are nested more than 2 calls deep")
    }

    @Test("the standard parameter limit stops a network of many huge layers before seeding weights")
    func standardParameterLimit() throws {
        // Each conv weight is 4096x4096x7x7 = 822,083,584 floats (under the 2^31 tensor limit);
        // two of them pass 2^30 in all. Seeding them would need 6.1 GiB.
        let source = """
            input x: 1x4096x8x8
            x = a: conv(x, 4096, kernel: 7, pad: 3, bias: false)
            x = b: conv(x, 4096, kernel: 7, pad: 3, bias: false)
            output y = x
            """
        do {
            _ = try Compiler.compile(source: source, fileName: "huge.net")
            Issue.record("a 1.6-billion-parameter network compiled")
        } catch {
            #expect(error.description.hasPrefix("huge.net:3:8: error: the network has more than 2^30 parameters\n"))
        }
    }

    /// A small compiled model: plan and weights.
    private func smallModel() throws -> Compilation {
        try Compiler.compile(source: Self.chain, fileName: "small.net")
    }

    @Test("the runtime refuses arenas and weight blobs over its limits before allocating")
    func runtimeLimits() throws {
        let compilation = try smallModel()
        let plan = compilation.lowered.plan, weights = compilation.lowered.weights
        let arenaBytes = 4 * plan.arenaFloats, weightBytes = 4 * plan.weightFloats
        _ = try Model(plan: plan, weights: weights, limits: RuntimeLimits(maxArenaBytes: arenaBytes, maxWeightBytes: weightBytes))
        #expect(throws: RuntimeError.limitExceeded(path: "<memory>", what: "activation arena", bytes: arenaBytes,
                                                   limit: arenaBytes - 1, setting: "maxArenaBytes")) {
            try Model(plan: plan, weights: weights, limits: RuntimeLimits(maxArenaBytes: arenaBytes - 1))
        }
        let error = RuntimeError.limitExceeded(path: "<memory>", what: "weights", bytes: weightBytes,
                                               limit: 100, setting: "maxWeightBytes")
        #expect(throws: error) {
            try Model(bytes: try compilation.encoded(), limits: RuntimeLimits(maxWeightBytes: 100))
        }
        #expect(error.description
                == "<memory>: the weights needs \(weightBytes) bytes, more than the limit of 100 (RuntimeLimits.maxWeightBytes)")
    }

    @Test("a hostile plan asking for a 64 GiB arena is refused by the standard limit")
    func hugeArena() throws {
        var plan = try smallModel().lowered.plan
        plan.arenaFloats = 1 << 34
        #expect(throws: RuntimeError.limitExceeded(path: "<memory>", what: "activation arena", bytes: 1 << 36,
                                                   limit: 1 << 34, setting: "maxArenaBytes")) {
            try Model(plan: plan, weights: try smallModel().lowered.weights)
        }
    }

    @Test("files longer than their headers say are rejected (.rnc, .npy)")
    func trailingBytes() throws {
        let bytes = try smallModel().encoded()
        #expect(throws: RuntimeError.corruptHeader(path: "<memory>",
                                                   reason: "the header accounts for \(bytes.count) bytes, the file has \(bytes.count + 1)")) {
            try Model(bytes: bytes + [0])
        }
        let npy = NPY.encode(Tensor(shape: [2], data: [1, 2]))
        #expect(throws: RuntimeError.npy(path: "x.npy", reason: "shape 2 of <f4 needs 8 data bytes, found 12")) {
            try NPY.decode(bytes: npy + [0, 0, 0, 0], name: "x.npy")
        }
        #expect(throws: RuntimeError.npy(path: "x.npy", reason: "shape 2 of <f4 needs 8 data bytes, found 4")) {
            try NPY.decode(bytes: Array(npy.dropLast(4)), name: "x.npy")
        }
    }
}
