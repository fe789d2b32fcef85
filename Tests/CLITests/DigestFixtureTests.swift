import ArxivFeed
import Foundation
import Testing
import TestSupport

/// `digest --feed` on every real arXiv response, with a trained model and with the keyword rules.
@Suite("digest --feed on the Atom fixtures")
struct DigestFixtureTests {
    static let runTime = "2026-11-25 08:00"
    static let header = "# 🧠 Open Neuromorphic - Daily ArXiv\n\n**Automated Daily Update** | Last Run: 2026-11-25 08:00 UTC\n\n"
        + "Papers are automatically categorized by topic and sorted by date.\n\n"
    static let noPapersPage = header + "### 😴 No new papers found today.\nCheck back tomorrow!"
    static let headings = ["## 🛠 Hardware & Materials", "## 🧠 Algorithms & Theory",
                           "## 👁️ Applications & Sensing", "## 📂 General / Uncategorized"]

    static func feedFixtures() throws -> [String] {
        try SharedData.atomFixtureNames().filter { !$0.hasPrefix("error-") }
    }

    /// The papers of a fixture, as `fetch` reads them (none for the empty results).
    static func papers(in feed: URL) throws -> [Paper] {
        let result = try CLI.run(["fetch", "--feed", feed.path, "--allow-empty"])
        try #require(result.status == 0, CLI.describe(result))
        return try JSONLines.lines(of: result.stdout).map { try JSONDecoder().decode(Paper.self, from: Data($0.utf8)) }
    }

    /// Checks a rendered digest against the feed's papers: every paper exactly once, under a known heading.
    static func checkDigest(_ digest: String, papers: [Paper]) {
        #expect(digest.hasPrefix(header))
        if papers.isEmpty {
            #expect(digest == noPapersPage)
            return
        }
        let blocks = digest.components(separatedBy: "\n").filter { $0.hasPrefix("### [") }
        #expect(blocks.count == papers.count)
        for paper in papers {
            let link = "](\(paper.url ?? "http://arxiv.org/abs/\(paper.id)"))"
            #expect(occurrences(of: link + "\n", in: digest) == 1, "paper \(paper.id) not shown exactly once")
        }
        let sections = digest.components(separatedBy: "\n").filter { $0.hasPrefix("## ") }
        #expect(!sections.isEmpty)
        #expect(sections.allSatisfy { headings.contains($0) }, "unexpected sections \(sections)")
        #expect(occurrences(of: "\n---\n", in: digest) == sections.count)
    }

    @Test("with a trained model (--model)", arguments: try feedFixtures())
    func digestWithModel(name: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let feed = SharedData.url("fixtures/atom/\(name)")
        let result = try CLI.run([
            // --allow-empty: the fixtures include empty results, which otherwise keep the old digest.
            "digest", "--feed", feed.path, "--model", try TrainedModels.sample().path, "--allow-empty",
            "--run-time", Self.runTime, "--output", scratch.path("d.md"),
        ])
        try #require(result.status == 0, CLI.describe(result))
        Self.checkDigest(try scratch.text("d.md"), papers: try Self.papers(in: feed))
    }

    @Test("with the keyword rules, the same page as from the fetched JSON Lines", arguments: try feedFixtures())
    func digestWithKeywords(name: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let feed = SharedData.url("fixtures/atom/\(name)")
        let fromFeed = try CLI.run(["digest", "--feed", feed.path, "--classifier", "keywords", "--allow-empty", "--run-time", Self.runTime])
        try #require(fromFeed.status == 0, CLI.describe(fromFeed))
        Self.checkDigest(fromFeed.stdoutText, papers: try Self.papers(in: feed))

        let fetched = try CLI.run(["fetch", "--feed", feed.path, "--allow-empty", "--output", scratch.path("p.jsonl")])
        try #require(fetched.status == 0, CLI.describe(fetched))
        let fromPapers = try CLI.run([
            "digest", "--papers", scratch.path("p.jsonl"), "--classifier", "keywords", "--allow-empty", "--run-time", Self.runTime,
        ])
        try #require(fromPapers.status == 0, CLI.describe(fromPapers))
        #expect(fromPapers.stdout == fromFeed.stdout)
    }

    @Test("the empty-result fixtures give the no-papers page with --allow-empty, else an error", arguments: ["empty-result-id-0000.0000.xml", "empty-result-id-0808.05394.xml"])
    func emptyResult(name: String) throws {
        let feed = SharedData.url("fixtures/atom/\(name)")
        for classifier in [["--classifier", "keywords"], ["--model", try TrainedModels.sample().path]] {
            let result = try CLI.run(["digest", "--feed", feed.path, "--allow-empty", "--run-time", Self.runTime] + classifier)
            try #require(result.status == 0, CLI.describe(result))
            #expect(result.stdoutText == Self.noPapersPage)
            let refused = try CLI.run(["digest", "--feed", feed.path, "--run-time", Self.runTime] + classifier)
            #expect(refused.status != 0 && refused.stdout.isEmpty, CLI.describe(refused))
            #expect(refused.stderrText.contains("--allow-empty"), CLI.describe(refused))
        }
    }

    @Test("a run time that is not YYYY-MM-DD HH:MM is a usage error", arguments: ["2026-02-30 08:00", "2026-02-03T08:36", "08:36", "99999-01-01 00:00", "0202-01-01 00:00x", "２０２6-01-01 00:00"])
    func badRunTime(runTime: String) throws {
        let feed = SharedData.url("fixtures/atom/search-testing-start0-max10.xml")
        let result = try CLI.run(["digest", "--feed", feed.path, "--classifier", "keywords", "--run-time", runTime])
        #expect(result.status != 0)
        #expect(result.stderrText.contains("--run-time"), CLI.describe(result))
        #expect(result.stdout.isEmpty)
    }

    /// Passes once the lead commits Models/topics.model: `digest` without --model uses the shipped model.
    @Test("digest without --model uses the shipped Models/topics.model")
    func digestUsesShippedModelByDefault() throws {
        let result = try CLI.run(
            ["digest", "--feed", "Datasets/samples/sample-feed.xml", "--run-time", "2026-11-25 08:00"],
            currentDirectory: SharedData.packageRoot)
        try #require(result.status == 0, CLI.describe(result))
        let blocks = result.stdoutText.components(separatedBy: "\n").filter { $0.hasPrefix("### [") }
        #expect(blocks.count == 6)
    }
}
