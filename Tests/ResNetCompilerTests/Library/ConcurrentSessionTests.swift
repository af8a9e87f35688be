// One Model shared by four OS threads at once, each with its own Session, 200 runs each:
// every output must be bitwise the single-threaded result, whatever ran beside it. And a
// session's output must not depend on its own thread count.
import Foundation
import ResNetCompiler
import ResNetRuntime
import Synchronization
import Testing

@Suite("Concurrent sessions")
struct ConcurrentSessionTests {
    static let callers = 4
    static let runsPerCaller = 200

    @Test("4 threads × 200 runs, each its own Session, all bitwise equal to one thread")
    func fourThreads() throws {
        let model = try LibraryNets.tinyModel()
        // Two inputs, alternated, so a run that read a stale arena would be caught.
        let inputs = [WeightInitializer.makeInput(shape: [1, 3, 16, 16], seed: 1),
                      WeightInitializer.makeInput(shape: [1, 3, 16, 16], seed: 2)]
        let reference = try Session(model: model, threads: 1)
        let expected = try inputs.map { try bits(reference.run([$0])) }
        #expect(expected[0] != expected[1])

        let mismatches = Mutex<[String]>([])
        let finished = DispatchGroup()
        for caller in 0..<Self.callers {
            finished.enter()
            // Real threads, not tasks: the cooperative pool has only as many threads as cores.
            let thread = Thread {
                defer { finished.leave() }
                do {
                    // Sessions with 1 and 2 worker threads run side by side.
                    let session = try Session(model: model, threads: 1 + caller % 2)
                    for run in 0..<Self.runsPerCaller where try bits(session.run([inputs[run % 2]])) != expected[run % 2] {
                        mismatches.withLock { $0.append("caller \(caller) run \(run)") }
                    }
                } catch {
                    mismatches.withLock { $0.append("caller \(caller): \(error)") }
                }
            }
            thread.start()
        }
        finished.wait()
        #expect(mismatches.withLock { $0 } == [])
    }

    @Test("a session's output does not depend on its thread count", arguments: ["tiny", "mnist"])
    func threadCounts(net: String) throws {
        let model: Model, input: Tensor
        if net == "tiny" {
            model = try LibraryNets.tinyModel()
            input = WeightInitializer.makeInput(shape: [1, 3, 16, 16], seed: 1)
        } else {
            let options = CompileOptions(weightsPath: Repository.path("Tests/Fixtures/mnist_resnet.safetensors"))
            model = try Compiler.compile(source: try Repository.graphSource("mnist_resnet.net"),
                                         fileName: "mnist_resnet.net", options: options).makeModel()
            input = try NPY.read(path: Repository.path("Tests/Fixtures/mnist_resnet_input.npy"))
        }
        let one = bits(try Session(model: model, threads: 1).run([input]))
        for threads in [2, 3] {
            #expect(bits(try Session(model: model, threads: threads).run([input])) == one, "threads \(threads)")
        }
    }
}
