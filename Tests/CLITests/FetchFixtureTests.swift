import ArxivFeed
import Foundation
import Testing
import TestSupport

/// `fetch --feed` on every real arXiv response in `../shared/fixtures/atom/`.
@Suite("fetch --feed on the Atom fixtures")
struct FetchFixtureTests {
    static let errorFixture = "error-400-bad-id-abc.xml"

    static func fixtures() throws -> [String] { try SharedData.atomFixtureNames() }

    @Test("one Paper per <entry>, as JSON Lines", arguments: try fixtures().filter { $0 != errorFixture })
    func fetchFixture(name: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let feed = SharedData.url("fixtures/atom/\(name)")
        let entries = occurrences(of: "<entry>", in: String(decoding: try Data(contentsOf: feed), as: UTF8.self))

        // (--allow-empty: the empty results are fixtures too; without it they are refused, InputRulesTests.)
        let result = try CLI.run(["fetch", "--feed", feed.path, "--allow-empty", "--output", scratch.path("p.jsonl")])
        try #require(result.status == 0, CLI.describe(result))
        let lines = JSONLines.lines(of: try scratch.read("p.jsonl"))
        #expect(lines.count == entries)
        let decoder = JSONDecoder()
        for line in lines {
            let paper = try decoder.decode(Paper.self, from: Data(line.utf8))
            #expect(!paper.id.isEmpty)
            #expect(!paper.published.isEmpty)
        }
    }

    @Test("the same papers on standard output when --output is absent")
    func fetchToStandardOutput() throws {
        let feed = SharedData.url("fixtures/atom/search-testing-start0-max10.xml")
        let result = try CLI.run(["fetch", "--feed", feed.path])
        try #require(result.status == 0, CLI.describe(result))
        let papers = try JSONLines.lines(of: result.stdout).map { try JSONDecoder().decode(Paper.self, from: Data($0.utf8)) }
        #expect(papers.count == 10)
        #expect(Set(papers.map(\.id)).count == 10)
    }

    @Test("arXiv's error feed: non-zero exit, arXiv's message, no output file")
    func errorFeed() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let feed = SharedData.url("fixtures/atom/\(Self.errorFixture)")
        let result = try CLI.run(["fetch", "--feed", feed.path, "--output", scratch.path("p.jsonl")])
        #expect(result.status != 0)
        #expect(result.stderrText.contains("incorrect id format for abc"), CLI.describe(result))
        let left = try scratch.listing()
        #expect(left.isEmpty, "fetch left files behind: \(left)")
    }
}
