// The plan's optional preprocessing and labels: they survive the `.rnc` round trip, plans
// without them encode exactly as before (no new keys), and inconsistent ones are refused.
import Foundation
import ResNetRuntime
import Testing

@Suite("RNC image metadata")
struct RNCImageMetadataTests {
    static let recipe = Preprocessing(resize: .shorterSide(size: 9), centerCrop: [8, 8], scale: 1.0 / 255,
                                      mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
    static let labels = ["cat", "dog", "bird", "fish", "horse"]

    @Test("preprocess and labels round-trip through bytes and a mapped file")
    func roundTrip() throws {
        let builder = sampleBuilder()
        var plan = builder.plan
        plan.preprocess = Self.recipe
        plan.labels = Self.labels
        let path = temporaryPath(".rnc")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try RNCFile.write(plan: plan, weights: builder.weights, to: path)
        for model in [try Model(bytes: try RNCFile.encode(plan: plan, weights: builder.weights)), try Model(contentsOf: path)] {
            #expect(model.plan == plan)
            #expect(model.plan.preprocess == Self.recipe)
            #expect(model.plan.labels == Self.labels)
        }
        let exact = Preprocessing(resize: .exact(height: 8, width: 8))
        plan.preprocess = exact
        #expect(try Model(bytes: try RNCFile.encode(plan: plan, weights: builder.weights)).plan.preprocess == exact)
    }

    @Test("a plan without them has no new keys, and JSON without them decodes (older files)")
    func backwardCompatible() throws {
        let builder = sampleBuilder()
        let text = String(decoding: try planJSON(builder.plan), as: UTF8.self)
        #expect(!text.contains("preprocess") && !text.contains("labels"))
        let model = try Model(bytes: rawRNC(planJSON: try planJSON(builder.plan), weights: builder.weights))
        #expect(model.plan.preprocess == nil && model.plan.labels == nil)
        #expect(throws: RuntimeError.unsupportedVersion(path: "<memory>", found: 2, supported: 1)) {
            try Model(bytes: rawRNC(planJSON: try planJSON(builder.plan), weights: builder.weights, version: 2))
        }
    }

    @Test("labels that do not match the classes and unusable recipes are invalid plans")
    func invalid() throws {
        let builder = sampleBuilder()
        var plan = builder.plan
        plan.labels = ["cat"]
        #expect(throws: RuntimeError.invalidPlan(step: "labels", reason: "1 labels for 5 output classes")) {
            try RNCFile.encode(plan: plan, weights: builder.weights)
        }
        plan.labels = nil
        plan.preprocess = Preprocessing(mean: [0.5, 0.5])
        #expect(throws: RuntimeError.invalidPlan(step: "preprocess", reason: "mean has 2 values; the input has 3 channels (give 1 or 3)")) {
            try RNCFile.encode(plan: plan, weights: builder.weights)
        }
        plan.preprocess = Preprocessing(centerCrop: [0, 8])
        #expect(throws: RuntimeError.invalidPlan(step: "preprocess", reason: "center_crop must be two sizes in 1…65536, found [0, 8]")) {
            try RNCFile.encode(plan: plan, weights: builder.weights)
        }
        // A hostile file: the same check runs when a model is loaded.
        var json = try planJSON(builder.plan)
        json.removeLast()
        json += Array(",\"labels\":[\"only\"]}".utf8)
        #expect(throws: RuntimeError.invalidPlan(step: "labels", reason: "1 labels for 5 output classes")) {
            try Model(bytes: rawRNC(planJSON: json, weights: builder.weights))
        }
    }

    @Test("labels files: one name per line, CRLF and a missing final newline accepted, empty names refused")
    func labelsFiles() throws {
        #expect(try ClassLabels.parse("a\nb c\r\nd", path: "l.txt") == ["a", "b c", "d"])
        #expect(try ClassLabels.parse("a\nb\n", path: "l.txt") == ["a", "b"])
        #expect(throws: LabelsError(path: "l.txt", reason: "line 2 is empty; every line names one class")) {
            try ClassLabels.parse("a\n\nb\n", path: "l.txt")
        }
        #expect(throws: LabelsError(path: "l.txt", reason: "the file has no labels")) { try ClassLabels.parse("", path: "l.txt") }
        #expect(throws: LabelsError(path: "/nonexistent/l.txt", reason: "no such file")) {
            try ClassLabels.read(path: "/nonexistent/l.txt")
        }
        #expect(throws: LabelsError(path: "l.txt", reason: "has 2 labels; the model's output 'probabilities' has 5 classes")) {
            try ClassLabels.check(["a", "b"], fit: sampleBuilder().plan, path: "l.txt")
        }
    }
}
