import Foundation
import Testing
import TestSupport

/// The README's "Grow your own model" chain, run exactly as documented on the sample feed and the
/// shared training data.
@Suite("grow your own model, end to end")
struct GrowYourOwnModelTests {
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
