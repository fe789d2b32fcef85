import Foundation
import Testing
import TestSupport

/// The classifier kinds and the grid search, end to end: train, then use the model.
@Suite("train: classifiers and grid search")
struct TrainVariantsTests {
    static let samplePapers = SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl")
    static let sampleFeed = SharedData.packageRoot.appendingPathComponent("Datasets/samples/sample-feed.xml")

    @Test("each classifier trains a model that classify and digest accept", arguments: ["logreg", "nb", "cnb"])
    func classifierKinds(kind: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let trained = try CLI.run(["train", "--data", Self.samplePapers.path, "--classifier", kind, "--output", scratch.path("m.model")])
        try #require(trained.status == 0, CLI.describe(trained))
        #expect(trained.stderrText.contains("wrote \(scratch.path("m.model")): \(kind),"), CLI.describe(trained))

        let classified = try CLI.run(["classify", "--feed", Self.sampleFeed.path, "--model", scratch.path("m.model")])
        try #require(classified.status == 0, CLI.describe(classified))
        #expect(JSONLines.lines(of: classified.stdout).count == 6)

        let digest = try CLI.run(["digest", "--feed", Self.sampleFeed.path, "--model", scratch.path("m.model"), "--run-time", "2026-11-25 08:00"])
        try #require(digest.status == 0, CLI.describe(digest))
        #expect(digest.stdoutText.components(separatedBy: "\n").filter { $0.hasPrefix("### [") }.count == 6)
    }

    @Test("--grid prints one row per candidate, marks one best, and writes the model")
    func gridSearch() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = try CLI.run([
            "train", "--data", Self.samplePapers.path, "--grid", "--grid-values", "1,10", "--grid-ngrams", "1,1", "1,2",
            "--cv", "2", "--output", scratch.path("best.model"),
        ])
        try #require(result.status == 0, CLI.describe(result))
        let rows = result.stdoutText.components(separatedBy: "\n").filter { $0.hasPrefix("| 1,") }
        #expect(rows.count == 4, "table: \(result.stdoutText)")
        #expect(rows.filter { $0.hasSuffix("| best |") }.count == 1)
        #expect(result.stderrText.contains("cross-validated (2 folds"))
        #expect(try scratch.listing() == ["best.model"])
        let classified = try CLI.run(["classify", "--papers", Self.samplePapers.path, "--model", scratch.path("best.model")])
        #expect(classified.status == 0, CLI.describe(classified))
    }

    @Test("import-digest of a truncated digest: file:line, output untouched")
    func truncatedDigest() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let seed = try SharedData.data("seeds/digest-2026-02-03.md")
        try scratch.write("cut.md", seed.prefix(20_000))
        try scratch.write("out", goodContent)
        let result = try CLI.run(["import-digest", scratch.path("cut.md"), "--output", scratch.path("out")])
        #expect(result.status != 0)
        #expect(result.stderrText.range(of: #"cut\.md:\d+: "#, options: .regularExpression) != nil, CLI.describe(result))
        #expect(try scratch.text("out") == goodContent)
    }
}
