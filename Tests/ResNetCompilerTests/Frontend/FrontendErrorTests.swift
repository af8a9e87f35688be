// Every bad source in the table fails with exactly the expected rendered diagnostics.
import Testing
import ResNetCompiler

@Suite struct FrontendErrorTests {
    @Test(arguments: FrontendErrorCases.all)
    func reportsExactError(_ testCase: FrontendErrorCase) {
        do {
            let graph = try Frontend.elaborate(source: testCase.source, fileName: "bad.net", options: testCase.options)
            Issue.record("expected an error, got a graph with \(graph.nodes.count) nodes")
        } catch {
            #expect(error.rendered == testCase.expected)
        }
    }
}
