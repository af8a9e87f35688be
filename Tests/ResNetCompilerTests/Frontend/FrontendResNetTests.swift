// Whole networks through the frontend: parameter counts, torchvision names and FLOPs.
import Testing
import ResNetCompiler

@Suite struct FrontendResNetTests {
    @Test func resnet18MatchesTorchvision() throws {
        let graph = try Frontend.elaborate(source: FrontendTestSources.resnet18, fileName: "resnet18.net")
        #expect(graph.name == "resnet18")
        #expect(graph.parameterCount == 11_689_512)
        #expect(abs(Double(graph.flops) - 3.63e9) / 3.63e9 < 0.01)
        #expect(graph.outputs.map(\.name) == ["logits"])
        #expect(graph.nodes[graph.outputs[0].node].shape == [1, 1000])
        let names = Set(graph.nodes.map(\.name))
        for name in ["conv1", "bn1", "layer1.0.conv1", "layer1.1.bn2", "layer2.0.downsample.0",
                     "layer4.1.conv2", "fc"] {
            #expect(names.contains(name), "missing \(name)")
        }
        #expect(!names.contains("layer1.0.downsample.0"))
    }

    @Test func resnet50MatchesTorchvision() throws {
        let graph = try Frontend.elaborate(source: FrontendTestSources.resnet50, fileName: "Graphs/resnet50.net")
        #expect(graph.name == "resnet50")
        #expect(graph.parameterCount == 25_557_032)
        #expect(abs(Double(graph.flops) - 8.18e9) / 8.18e9 < 0.01)
        let byName = Dictionary(graph.nodes.filter { !$0.name.isEmpty }.map { ($0.name, $0) },
                                uniquingKeysWith: { a, _ in a })
        let downsample = try #require(byName["layer2.0.downsample.0"])
        #expect(downsample.op == .conv(ConvAttributes(outChannels: 512, kernel: 1, stride: 2, hasBias: false)))
        #expect(downsample.shape == [1, 512, 28, 28])
        let conv2 = try #require(byName["layer3.4.conv2"])
        #expect(conv2.shape == [1, 256, 14, 14])
        #expect(byName["layer1.0.downsample.0"] != nil)
        #expect(byName["layer1.1.downsample.0"] == nil)
        #expect(byName["fc"]?.shape == [1, 1000])
        #expect(conv2.location?.file == "Graphs/resnet50.net")
        #expect(graph.nodes.allSatisfy { $0.location != nil })
    }

    @Test func batchAndDefinesOverride() throws {
        let options = FrontendOptions(batch: 4, defines: ["classes": 10, "size": 64])
        let graph = try Frontend.elaborate(source: FrontendTestSources.resnet18, fileName: "resnet18.net",
                                           options: options)
        #expect(graph.nodes[graph.inputIDs[0]].shape == [4, 3, 64, 64])
        #expect(graph.nodes[graph.outputs[0].node].shape == [4, 10])
        #expect(graph.nodes[graph.inputIDs[0]].name == "image")
    }

    @Test func cifarResNetsWithOptionAShortcutsMatchThePaper() throws {
        let expected = [3: 269_722, 5: 464_154, 7: 658_586, 9: 853_018, 18: 1_727_962]
        for (n, count) in expected {
            let graph = try Frontend.elaborate(source: FrontendTestSources.cifarResNet20, fileName: "cifar.net",
                                               options: FrontendOptions(defines: ["n": n]))
            #expect(graph.parameterCount == count, "n = \(n)")
        }
        let graph = try Frontend.elaborate(source: FrontendTestSources.cifarResNet20, fileName: "cifar.net")
        #expect(graph.nodes.filter { $0.op == .shortcutA(outChannels: 32, stride: 2) }.count == 1)
        #expect(graph.nodes.first { $0.name == "layer3.2.conv2" }?.shape == [1, 64, 8, 8])
    }
}
