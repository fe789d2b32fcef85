import ArxivFeed
import Foundation
import Testing

/// Found by the Tests/Fuzz fuzz-atom invariant "every paper has a non-empty id": an entry whose id URL
/// ends in "/abs/v<digits>" parses into a paper whose id is "" (the version suffix is stripped and
/// nothing is left), where the reader's own rule is to refuse an id URL that names no paper.
/// Fault: Sources/ArxivFeed/TextCleaning.swift, `baseID(fromEntryURL:)` / `withoutVersion`.
@Suite("Fuzz regression: an entry id that names no paper is an error")
struct AtomEntryIDTests {
    private func feed(entryID: String) -> Data {
        Data(("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>\(entryID)</id><title>t</title>"
            + "<summary>s</summary><published>2020-01-01</published></entry></feed>").utf8)
    }

    @Test("an id URL ending in /abs/v<digits> is refused as malformed", arguments: [
        "http://arxiv.org/abs/v1", "http://arxiv.org/abs/v12", "http://arxiv.org/abs/v0",
    ])
    func versionOnlyIDRefused(entryID: String) throws {
        let error = #expect(throws: AtomFeedError.self) {
            try AtomFeed.parse(feed(entryID: entryID), source: "fuzz.xml")
        }
        guard case .malformed(let source, let detail)? = error else {
            Issue.record("expected AtomFeedError.malformed, got \(String(describing: error))")
            return
        }
        #expect(source == "fuzz.xml")
        #expect(detail.contains("<id>"), "\(detail)")
    }

    @Test("a real id next to it still parses (the check is not over-eager)")
    func realIDStillParses() throws {
        let parsed = try AtomFeed.parse(feed(entryID: "http://arxiv.org/abs/2101.00001v1"), source: "fuzz.xml")
        #expect(parsed.papers.map(\.id) == ["2101.00001"])
    }
}
