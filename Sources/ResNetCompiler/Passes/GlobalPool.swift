// global-pool: an average pool whose window is the whole unpadded map (`avg_pool2d(x, 4)` on a
// 4×4 map, as many CIFAR tutorials end) becomes global_avgpool, which reads channel-blocked maps;
// left as a windowed pool it would keep the whole network before it NCHW.

/// Rewrites `avgpool(x, kernel: k)` on a k×k map without padding into `global_avgpool(x)`.
public let globalPoolPass = Pass(
    name: "global-pool",
    summary: "turn average pools over a whole unpadded map into global_avgpool"
) { graph in
    var rebuilder = GraphRebuilder(graph)
    var rewrites = 0
    for node in graph.nodes {
        if case .avgPool(let p) = node.op, let input = node.inputs.first, p.padding == 0,
           graph.nodes[input].shape.count == 4, graph.nodes[input].shape[2...] == [p.kernel, p.kernel] {
            rebuilder.emit(replacing: node.id, op: .globalAvgPool, inputs: node.inputs, params: [:])
            rewrites += 1
        } else {
            rebuilder.copy(node.id)
        }
    }
    return PassResult(graph: rebuilder.finish(), rewrites: rewrites)
}
