// Every pass, alone and as the standard pipeline, on every network in Graphs/ (at reduced size
// so the Double interpreter runs in seconds), and the shape of ResNet-50 after the pipeline.
import ResNetCompiler
import Testing

@Suite("Passes on Graphs/*.net")
struct GraphsPassTests {
    @Test("each pass and the pipeline preserve each network's outputs (relative 1e-5)",
          arguments: Repository.graphFiles)
    func passesPreserve(file: String) throws {
        let source = try Repository.graphSource(file)
        let graph = try Frontend.elaborate(source: source, fileName: "Graphs/" + file,
                                           options: FrontendOptions(defines: GraphsTests.reducedDefines(source)))
        try expectEveryPassPreserves(graph: graph)
    }

    @Test("ResNet-50 after the pipeline: 53 convs with epilogues, no batchnorm, relu or add")
    func resnet50Structure() throws {
        let graph = try Frontend.elaborate(source: try Repository.graphSource("resnet50.net"), fileName: "resnet50.net")
        let (optimized, reports) = try PassManager(passes: PassPipeline.standard).run(graph)
        var counts: [String: Int] = [:]
        for node in optimized.nodes { counts[node.op.mnemonic, default: 0] += 1 }
        #expect(counts == ["input": 1, "conv": 53, "maxpool": 1, "global_avgpool": 1, "flatten": 1, "linear": 1],
                "\(counts)")
        let byName = Dictionary(uniqueKeysWithValues: reports.map { ($0.name, $0.rewrites) })
        #expect(byName["fold-batchnorm"] == 53)
        #expect(byName["fuse-residual"] == 16)
        #expect(byName["fuse-activation"] == 49)
    }
}
