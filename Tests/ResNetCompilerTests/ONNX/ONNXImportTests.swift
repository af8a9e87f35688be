// Importing the ONNX fixtures (exported by torch.onnx.export, run by ONNX Runtime): the written
// .net compiles with the written weights and reproduces ONNX Runtime's output; names are
// torchvision's when the model carries them.
import Foundation
import ResNetCompiler
import ResNetRuntime
import Testing

/// The fixtures under Tests/Fixtures/onnx that import and run.
let onnxFixtures = ["resnet18_narrow_op17", "cifar_small_op11", "cifar_small_folded_op13", "mixed_ops_op11", "mixed_ops_op20"]

func onnxFixture(_ file: String) -> String { Repository.path("Tests/Fixtures/onnx/" + file) }

@Suite("ONNX import")
struct ONNXImportTests {
    @Test("each fixture: import → .net + safetensors → compile → run equals ONNX Runtime", arguments: onnxFixtures)
    func matchesONNXRuntime(name: String) throws {
        let imported = try ONNXImporter.importModel(path: onnxFixture(name + ".onnx"))
        let dir = try CommandLineTool.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try SafetensorsWriter.write(imported.weights, to: dir + "/w.safetensors")
        var options = CompileOptions()
        options.weightsPath = dir + "/w.safetensors"
        let compilation = try Compiler.compile(source: imported.source, fileName: name + ".net", options: options)
        #expect(compilation.sourceGraph.parameterCount == imported.graph.parameterCount)
        let session = try Session(model: try compilation.makeModel(), threads: 1)
        let output = try session.run([try NPY.read(path: onnxFixture(name + "_input.npy"))])[0]
        let reference = try NPY.read(path: onnxFixture(name + "_output.npy"))
        #expect(output.shape == reference.shape)
        #expect(maxAbsDifference(output, reference) <= 1e-4 * maxAbs(reference), "\(name)")
    }

    @Test("the imported graph lowers directly too (no .net round trip)")
    func lowersDirectly() throws {
        let imported = try ONNXImporter.importModel(path: onnxFixture("mixed_ops_op11.onnx"))
        let compilation = try Compiler.lower(imported.graph, options: CompileOptions())
        let output = try Session(model: try compilation.makeModel()).run([try NPY.read(path: onnxFixture("mixed_ops_op11_input.npy"))])[0]
        let reference = try NPY.read(path: onnxFixture("mixed_ops_op11_output.npy"))
        #expect(maxAbsDifference(output, reference) <= 1e-4 * maxAbs(reference))
    }

    @Test("weights carry torchvision's state_dict keys; exporter-folded convs are named after their module scope")
    func layerNames() throws {
        let resnet = try ONNXImporter.importModel(path: onnxFixture("resnet18_narrow_op17.onnx"))
        let keys = Set(resnet.weights.map(\.0))
        for key in ["conv1.weight", "bn1.running_var", "layer2.0.downsample.0.weight", "layer4.1.bn2.bias", "fc.weight", "fc.bias"] {
            #expect(keys.contains(key), "\(key)")
        }
        #expect(keys.count == 20 + 20 * 4 + 2)
        let flat = NetWriter.write(resnet.graph, header: "flat")
        #expect(flat.contains("y = layer1.0.conv1: conv(x, 4, kernel: 3, pad: 1) ->\n    layer1.0.bn1: batchnorm ->\n    relu ->\n"))
        #expect(flat.contains("\ny = relu(y + x)\n"))
        let folded = try ONNXImporter.importModel(path: onnxFixture("cifar_small_folded_op13.onnx"))
        #expect(Set(folded.weights.map(\.0)).isSuperset(of: ["layer2.0.conv1.weight", "layer2.0.conv1.bias", "layer2.0.downsample.0.bias"]))
    }

    @Test("residual units become blocks, stages become repeats, and the result names the same layers")
    func blocks() throws {
        let resnet = try ONNXImporter.importModel(path: onnxFixture("resnet18_narrow_op17.onnx"))
        #expect(resnet.source == """
            # Imported from resnet18_narrow_op17.onnx (ONNX opset 17, made by pytorch) by resnetc import.
            network resnet18_narrow_op17
            input input_: [1, 3, 32, 32]
            defaults conv(bias: false)

            block basic(x, planes) {
              y = conv1: conv(x, planes, kernel: 3, pad: 1) ->
                  bn1: batchnorm ->
                  relu ->
                  conv2: conv(planes, kernel: 3, pad: 1) ->
                  bn2: batchnorm
              return relu(y + x)
            }

            block basic_proj(x, planes) {
              y = conv1: conv(x, planes, kernel: 3, stride: 2, pad: 1) ->
                  bn1: batchnorm ->
                  relu ->
                  conv2: conv(planes, kernel: 3, pad: 1) ->
                  bn2: batchnorm
              z = downsample.0: conv(x, planes, kernel: 1, stride: 2) -> downsample.1: batchnorm
              return relu(y + z)
            }

            x = conv1: conv(input_, 4, kernel: 7, stride: 2, pad: 3) ->
                bn1: batchnorm ->
                relu ->
                maxpool(kernel: 3, stride: 2, pad: 1)
            x = layer1: repeat 2 { basic(x, 4) }
            x = layer2: repeat 2 as i { i == 0 ? basic_proj(x, 8) : basic(x, 8) }
            x = layer3: repeat 2 as i { i == 0 ? basic_proj(x, 16) : basic(x, 16) }
            x = layer4: repeat 2 as i { i == 0 ? basic_proj(x, 32) : basic(x, 32) }
            output output_ = global_avgpool(x) -> flatten -> fc: linear(10)

            """)
        #expect(NetWriter.describesSameLayers(resnet.source, as: resnet.graph))
        let folded = try ONNXImporter.importModel(path: onnxFixture("cifar_small_folded_op13.onnx"))
        #expect(folded.source.contains("""
            x = layer1.0: basic(x)
            x = layer2.0: basic_proj(x, 8)
            x = layer3.0: basic_proj(x, 16)
            """))
    }

    @Test("mixed ops: SiLU, folded pads, dilated grouped conv, MatMul + bias, dropout, softmax")
    func mixedOpsSource() throws {
        let imported = try ONNXImporter.importModel(path: onnxFixture("mixed_ops_op20.onnx"))
        #expect(imported.source == """
            # Imported from mixed_ops_op20.onnx (ONNX opset 20, made by pytorch) by resnetc import.
            network mixed_ops_op20
            input input_: [1, 3, 12, 12]
            defaults conv(bias: false)

            output output_ = stem: conv(input_, 8, kernel: 3, pad: 1, bias: true) ->
                stem_bn: batchnorm ->
                silu ->
                dw: conv(8, kernel: 3, pad: 2, dilation: 2, groups: 4) ->
                dw_bn: batchnorm ->
                leaky_relu(slope: 0.2) ->
                maxpool(kernel: 3, stride: 2, pad: 1, ceil: true) ->
                avgpool(kernel: 3, stride: 1, pad: 1) ->
                proj: conv(12, kernel: 1) ->
                sigmoid ->
                global_avgpool ->
                flatten ->
                dropout(p: 0.3) ->
                head_weight: linear(6) ->
                softmax

            """)
    }

    @Test("unsupported operators are listed all at once, with node names and the opset")
    func unsupportedOperators() {
        let path = onnxFixture("unsupported_ops.onnx")
        #expect(throws: ONNXError(file: path, message: "unsupported ONNX operators (opset 17): node '/Tanh' (Tanh), node '/Resize' (Resize)")) {
            try ONNXImporter.importModel(path: path)
        }
    }
}
