// Every network in Graphs/: it elaborates, its parameter count is the published one, its
// tensor names and shapes are torchvision's, and (at reduced size) the compiled model computes
// what the reference interpreter computes on the unoptimized graph.
import Foundation
import ResNetCompiler
import ResNetRuntime
import Testing

@Suite("Graphs/*.net")
struct GraphsTests {
    /// Parameter counts (BN weight and bias included, running statistics not): torchvision for
    /// the ImageNet ResNets, He et al. (2015) Table 6 for the CIFAR ones, PyTorch for the rest
    /// (preact_resnet18: Tools/check_preact_resnet.py builds it in PyTorch and counts).
    static let parameterCounts: [String: Int] = [
        "resnet18.net": 11_689_512, "resnet34.net": 21_797_672, "resnet50.net": 25_557_032,
        "resnet101.net": 44_549_160, "resnet152.net": 60_192_808,
        "plain34.net": 21_623_848, "resnet34_option_a.net": 21_623_848,
        "cifar_resnet20.net": 269_722, "cifar_resnet32.net": 464_154, "cifar_resnet44.net": 658_586,
        "cifar_resnet56.net": 853_018, "cifar_resnet110.net": 1_727_962,
        "resblock6.net": 78_312_778, "mnist_resnet.net": 221_810, "resnet18_dws_silu.net": 1_955_176,
        "digits_resnet.net": 42_938, "preact_resnet18.net": 11_171_146,
    ]

    private func elaborate(_ file: String, defines: [String: Int] = [:]) throws -> Graph {
        try Frontend.elaborate(source: try Repository.graphSource(file), fileName: "Graphs/" + file,
                               options: FrontendOptions(defines: defines))
    }

    @Test("the directory holds exactly the networks of the issue")
    func inventory() {
        #expect(Repository.graphFiles == Self.parameterCounts.keys.sorted())
    }

    @Test("each network elaborates with the published parameter count", arguments: Repository.graphFiles)
    func parameterCount(file: String) throws {
        let graph = try elaborate(file)
        #expect(graph.parameterCount == Self.parameterCounts[file], "\(file)")
        #expect(graph.outputs.count == 1)
    }

    @Test("tensor names and shapes are torchvision's state_dict",
          arguments: ["resnet18", "resnet34", "resnet50", "resnet101", "resnet152"])
    func torchvisionNames(network: String) throws {
        let graph = try elaborate(network + ".net")
        var ours: [String] = []
        for node in graph.nodes {
            let inputShapes = node.inputs.map { graph.nodes[$0].shape }
            for (name, shape) in node.op.parameterShapes(inputs: inputShapes) {
                ours.append("\(node.key(name))\t\(shape.shapeDescription)")
            }
        }
        let listing = try String(contentsOfFile: Repository.path("Tests/Fixtures/torchvision_keys/\(network).txt"),
                                 encoding: .utf8)
        let theirs = listing.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, !fields[0].hasSuffix("num_batches_tracked") else { return nil }
            return "\(fields[0])\t\(fields[1])"
        }
        #expect(ours.sorted() == theirs.sorted())
    }

    @Test("FLOPs (2 x multiply-adds) of the ImageNet ResNets at 224x224")
    func flops() throws {
        let expected: [(String, Double)] = [("resnet18.net", 3.64e9), ("resnet50.net", 8.18e9)]
        for (file, flops) in expected {
            let measured = Double(try elaborate(file).flops)
            #expect(abs(measured - flops) / flops < 0.01, "\(file): \(measured)")
        }
    }

    /// Overrides that shrink a network so the Double interpreter checks it in seconds.
    static func reducedDefines(_ source: String) -> [String: Int] {
        var defines: [String: Int] = [:]
        if source.contains("param size") { defines["size"] = 64 }
        if source.contains("param base") { defines["base"] = 8 }
        if source.contains("param classes") { defines["classes"] = 10 }
        return defines
    }

    @Test("compiled at reduced size, the runtime computes what the interpreter does",
          arguments: Repository.graphFiles)
    func runtimeMatchesInterpreter(file: String) throws {
        let defines = Self.reducedDefines(try Repository.graphSource(file))
        let options = CompileOptions(batch: 2, defines: defines, seed: 7)
        let compilation = try Compiler.compile(path: Repository.path("Graphs/" + file), options: options)
        let input = WeightInitializer.makeInput(shape: compilation.lowered.plan.inputs[0].tensor.shape, seed: 3)
        let expected = try ReferenceInterpreter.run(compilation.sourceGraph, inputs: [input])[0]
        let model = try Model(bytes: try compilation.encoded())
        let output = try Session(model: model).run([input])[0]
        let error = maxAbsDifference(output, expected)
        #expect(error <= 1e-4 * maxAbs(expected), "\(file): max error \(error), max |ref| \(maxAbs(expected))")
        #expect(maxAbs(expected) > 0, "\(file): degenerate all-zero output")
    }
}
