import Foundation
import Testing
import TestSupport

/// The README's "Grow your own model" chain, run exactly as documented on the sample feed and the
/// shared training data.
@Suite("grow your own model, end to end")
struct GrowYourOwnModelTests {
    @Test("train --data --library: the library's corrections win over the training file's labels for the same papers")
    func libraryCorrectionsWin() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let sample = SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl")
        let library = scratch.path("library.sqlite")
        // Two papers relabelled in the library, one confirmed.
        let answers = "9999.10001\talgorithms\n9999.10009\tgeneral\n9999.10013\tgeneral\n"
        let label = try CLI.run(["label", "--papers", sample.path, "--library", library, "--from", scratch.write("answers.tsv", answers).path])
        try #require(label.status == 0, CLI.describe(label))
        let options = ["--min-df", "1", "--labels", "auto"]
        let merged = try CLI.run(["train", "--data", sample.path, "--library", library, "--output", scratch.path("merged.model")] + options)
        try #require(merged.status == 0, CLI.describe(merged))
        #expect(merged.stderrText.contains("the library's label replaces --data's for 2 record(s)"), CLI.describe(merged))
        #expect(merged.stderrText.contains("labelled-papers.jsonl:1 hardware → algorithms"), CLI.describe(merged))
        // The same as training on the file with those two labels changed by hand.
        var lines = try String(contentsOf: sample, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[0] = lines[0].replacingOccurrences(of: "\"label\": \"hardware\"", with: "\"label\": \"algorithms\"")
        lines[8] = lines[8].replacingOccurrences(of: "\"label\": \"applications\"", with: "\"label\": \"general\"")
        try #require(lines[0].contains("algorithms") && lines[8].contains("\"general\""))
        let edited = try scratch.write("edited.jsonl", lines.joined(separator: "\n") + "\n")
        let byHand = try CLI.run(["train", "--data", edited.path, "--output", scratch.path("by-hand.model")] + options)
        try #require(byHand.status == 0, CLI.describe(byHand))
        let classify = { (model: String) in try CLI.run(["classify", "--papers", sample.path, "--model", scratch.path(model)]).stdout }
        #expect(try classify("merged.model") == classify("by-hand.model"))
        #expect(try classify("merged.model") != CLI.run(["classify", "--papers", sample.path, "--model", Self.plainModel(scratch, sample, options)]).stdout)
    }

    /// A model trained on `sample` alone.
    static func plainModel(_ scratch: Scratch, _ sample: URL, _ options: [String]) throws -> String {
        let run = try CLI.run(["train", "--data", sample.path, "--output", scratch.path("plain.model")] + options)
        try #require(run.status == 0, CLI.describe(run))
        return scratch.path("plain.model")
    }

    @Test("review --json → label --from → train --library → digest --new-only --min-confidence 0.6")
    func chain() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let feed = LoopData.sampleFeed.path, library = scratch.path("library.sqlite")
        let shared = SharedData.url("datasets/topics/train.jsonl").path

        let review = try CLI.run(["review", "--feed", feed, "--json"])
        try #require(review.status == 0, CLI.describe(review))
        let picks = try ReviewLabelTests.picks(review.stdout)
        try #require(picks.count == 6)
        // A person's answers: the model's guess, except that the most uncertain paper is corrected.
        let answers = picks.enumerated().map { i, pick in "\(pick.id)\t\(i == 0 && pick.label != "algorithms" ? "algorithms" : pick.label)" }
        try scratch.write("answers.tsv", answers.joined(separator: "\n") + "\n")
        let label = try CLI.run(["label", "--feed", feed, "--library", library, "--from", scratch.path("answers.tsv")])
        try #require(label.status == 0, CLI.describe(label))
        #expect(label.stderrText.contains("recorded 6 label(s)"))

        let train = try CLI.run(["train", "--data", shared, "--library", library, "--cv", "3", "--output", scratch.path("grown.model")])
        try #require(train.status == 0, CLI.describe(train))
        #expect(train.stderrText.contains("1577 labelled papers"))
        #expect(train.stderrText.contains("temperature"))

        let digestArguments = ["digest", "--feed", feed, "--library", library, "--model", scratch.path("grown.model"),
                               "--new-only", "--min-confidence", "0.6", "--run-time", "2026-12-03 08:00"]
        let first = try CLI.run(digestArguments)
        try #require(first.status == 0, CLI.describe(first))
        let sections = LoopData.sections(ofDigest: first.stdoutText)
        #expect(sections.values.map(\.count).reduce(0, +) == 6)
        // Routing agrees with the grown model's calibrated probabilities.
        let classified = try LoopData.classified(try CLI.run(["classify", "--feed", feed, "--model", scratch.path("grown.model"), "--min-confidence", "0.6"]).stdout)
        for row in classified {
            let section = row.abstained ? "general" : row.probabilities.max { $0.value < $1.value }!.key
            #expect(sections[LoopData.headings[section]!]?.contains(row.id) == true, "\(row.id) not under \(section)")
        }
        // The second run has nothing new to show: an error (the last digest is kept), unless --allow-empty.
        let second = try CLI.run(digestArguments)
        #expect(second.status == 1 && second.stdout.isEmpty, CLI.describe(second))
        #expect(second.stderrText.contains("6 of 6 papers were shown by an earlier run"))
        let empty = try CLI.run(digestArguments + ["--allow-empty"])
        try #require(empty.status == 0, CLI.describe(empty))
        #expect(empty.stdoutText.contains("No new papers found today"))
        let runs = try CLI.run(["library", "runs", "--library", library])
        #expect(JSONLines.lines(of: runs.stdout).count == 2)
    }
}
