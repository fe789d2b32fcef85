import ArxivFeed
@testable import DigestRendering
import Foundation
import Testing
import TestSupport

/// The HTML page and the Atom feed, on ordinary and on generated hostile papers.
@Suite("HTML and Atom renderers")
struct HTMLAndAtomTests {
    static let runTime = "2026-03-04 05:06"
    static let layout = DigestLayout.shipped

    /// The same papers with every text replaced by a plain word: the page structure a hostile page must match.
    static func benign(_ papers: [Paper]) -> [Paper] {
        papers.map { paper in
            var plain = paper
            plain.title = "Title"
            plain.abstract = "Abstract"
            plain.published = "2026-03-01"
            plain.authors = paper.authors.map { $0.map { _ in "Name" } }
            return plain
        }
    }

    @Test("HTML: hostile text creates no element or attribute (same tags as a plain page)", arguments: [11, 12, 13] as [UInt64])
    func hostileHTML(seed: UInt64) throws {
        let papers = HostileMarkdownTests.hostilePapers(seed: seed, count: 40)
        let labels = papers.map { $0.label! }
        let hostile = try DigestHTMLRenderer.render(papers: papers, labels: labels, layout: Self.layout, runTime: Self.runTime)
        let plain = try DigestHTMLRenderer.render(papers: Self.benign(papers), labels: labels, layout: Self.layout, runTime: Self.runTime)
        let same = MarkupTokens.tags(hostile) == MarkupTokens.tags(plain)
        #expect(same, "the hostile page has other tags than the plain one")
        #expect(MarkupTokens.tags(hostile).filter { $0.hasPrefix("<article") }.count == papers.count)
        // Every title is on the page, escaped.
        for paper in papers {
            #expect(hostile.contains(">" + MarkupEscaping.escape(MarkdownEscaping.singleLine(paper.title)) + "</a></h3>"))
        }
    }

    @Test("HTML: self-contained page with viewport, colour schemes, anchors, counts and run time")
    func htmlPage() throws {
        let papers = [
            Paper(id: "2601.00001", url: "http://arxiv.org/abs/2601.00001v2", title: "Memristor <crossbar> & \"more\"",
                  abstract: "An abstract.\nSecond line.", published: "2026-01-01T10:00:00Z", authors: ["Zoë O'Neil", "B"], label: "hardware"),
            Paper(id: "2601.00002", title: "Two", abstract: "B", published: "2026-01-02T00:00:00Z", label: "hardware"),
        ]
        let page = try DigestHTMLRenderer.render(papers: papers, labels: ["hardware", "general"], layout: Self.layout, runTime: Self.runTime)
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(page.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        #expect(page.contains("@media (prefers-color-scheme:dark)"))
        #expect(!page.contains("<script") && !page.contains("<link") && !page.contains("src="))
        #expect(page.contains("<a href=\"#section-hardware\">🛠 Hardware &amp; Materials</a> <span class=\"count\">1</span>"))
        #expect(page.contains("<section id=\"section-general\">\n<h2>📂 General / Uncategorized <span class=\"count\">1</span></h2>"))
        #expect(page.contains("<h3><a href=\"http://arxiv.org/abs/2601.00001v2\">Memristor &lt;crossbar&gt; &amp; &quot;more&quot;</a></h3>"))
        #expect(page.contains("<p class=\"meta\"><time>2026-01-01</time> · <span class=\"authors\">Zoë O&#39;Neil, B</span></p>"))
        #expect(page.contains("<blockquote>An abstract. Second line.</blockquote>"))
        #expect(page.contains("<time datetime=\"2026-03-04T05:06:00Z\">2026-03-04 05:06 UTC</time>"))
        #expect(page.hasSuffix("</main>\n</body>\n</html>\n"))
        let empty = try DigestHTMLRenderer.render(papers: [], labels: [], layout: Self.layout, runTime: Self.runTime)
        #expect(empty.contains("No new papers found today.") && !empty.contains("<section"))
    }

    @Test("HTML and Atom refuse a label the layout lacks and an id that is no arXiv id")
    func refusals() {
        let paper = Paper(id: "2601.00001", title: "t", abstract: "a", published: "2026-01-01")
        #expect(throws: DigestRenderError.unknownLabel("quantum", paperIndex: 0, paperID: "2601.00001", sections: Self.layout.labels)) {
            try DigestHTMLRenderer.render(papers: [paper], labels: ["quantum"], layout: Self.layout, runTime: Self.runTime)
        }
        var bad = paper
        bad.id = "javascript:alert(1)"
        #expect(throws: DigestRenderError.invalidID("javascript:alert(1)", paperIndex: 0)) {
            try DigestAtomRenderer.render(papers: [bad], labels: ["general"], layout: Self.layout, runTime: Self.runTime,
                                          address: .defaultAddress(selfURL: "feed.xml", layout: Self.layout))
        }
    }

    @Test("Atom: hostile papers parse with the project's Atom reader; titles, ids, authors and sections come back as text",
          arguments: [21, 22, 23] as [UInt64])
    func hostileAtom(seed: UInt64) throws {
        // A blank title (only line breaks and spaces) is refused on input, by the Atom reader among others,
        // so such a paper never reaches a page: give those a word.
        let papers = HostileMarkdownTests.hostilePapers(seed: seed, count: 40).map { paper in
            var withTitle = paper
            if Self.collapsed(MarkupEscaping.validCharacters(paper.title)).isEmpty { withTitle.title += "x" }
            return withTitle
        }
        let labels = papers.map { $0.label! }
        let feed = try DigestAtomRenderer.render(papers: papers, labels: labels, layout: Self.layout, runTime: Self.runTime,
                                                 address: .defaultAddress(selfURL: "https://example.org/feed.xml", layout: Self.layout))
        let parsed = try AtomFeed.parse(Data(feed.utf8), source: "hostile.xml").papers
        #expect(parsed.count == papers.count)
        let byID = Dictionary(uniqueKeysWithValues: parsed.map { ($0.id, $0) })
        for paper in papers {
            let read = try #require(byID[paper.id])
            let clean = { (text: String) in Self.collapsed(MarkupEscaping.validCharacters(text)) }
            #expect(read.title == clean(paper.title), "\(paper.id)")
            #expect(read.url == "http://arxiv.org/abs/\(paper.id)")
            #expect(read.absURL == ArxivLink.abstractURL(for: paper))
            #expect(read.authors == (paper.authors ?? []).map(clean).filter(PaperText.hasVisibleCharacter))
            #expect(read.categories == [paper.label!])
            #expect(Self.collapsed(read.abstract) == clean(PaperText.abstract(paper)))
        }
    }

    /// White space runs as one space, trimmed: how the reader cleans titles.
    static func collapsed(_ text: String) -> String {
        text.unicodeScalars.split(whereSeparator: { DigestFormat.isPythonWhitespace($0) })
            .map { String(String.UnicodeScalarView($0)) }.joined(separator: " ")
    }

    @Test("Atom: feed head, stable entry ids across runs and versions, RFC 3339 times")
    func atomFeed() throws {
        var paper = Paper(id: "2601.00001", url: "http://arxiv.org/abs/2601.00001v1", title: "T", abstract: "A",
                          published: "2026-01-01T10:00:00Z", authors: [], label: "algorithms")
        let address = DigestAtomRenderer.FeedAddress.defaultAddress(selfURL: "https://example.org/d/feed.xml", layout: Self.layout)
        let first = try DigestAtomRenderer.render(papers: [paper], labels: ["algorithms"], layout: Self.layout, runTime: "2026-01-02 03:04", address: address)
        paper.url = "http://arxiv.org/abs/2601.00001v2"
        paper.updated = "2026-01-03T00:00:00Z"
        let second = try DigestAtomRenderer.render(papers: [paper], labels: ["algorithms"], layout: Self.layout, runTime: "2026-01-04 03:04", address: address)
        for feed in [first, second] {
            #expect(feed.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <id>https://example.org/d/feed.xml</id>"))
            #expect(feed.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/d/feed.xml\"/>"))
            #expect(feed.contains("    <id>http://arxiv.org/abs/2601.00001</id>\n"))
            #expect(feed.contains("<category term=\"algorithms\" label=\"🧠 Algorithms &amp; Theory\"/>"))
            #expect(feed.contains("<author><name>🧠 Open Neuromorphic - Daily ArXiv</name></author>"))
        }
        #expect(first.contains("<updated>2026-01-02T03:04:00Z</updated>") && first.contains("<published>2026-01-01T10:00:00Z</published>"))
        #expect(second.contains("    <updated>2026-01-03T00:00:00Z</updated>"))
        let relative = DigestAtomRenderer.FeedAddress.defaultAddress(selfURL: "feed.xml", layout: Self.layout)
        #expect(relative.id == "tag:arxiv-digest,2026:open-neuromorphic-daily-arxiv")
        #expect(AtomTime.stamp(paperTime: "2026-02-02") == "2026-02-02T00:00:00Z")
        #expect(AtomTime.stamp(paperTime: "<b>") == nil)
    }

    @Test("Atom: a paper date in each documented form gets its own fixed stamp, not the run time", arguments: [
        ("2026-11-24T18:23:11Z", "2026-11-24T18:23:11Z"), ("2026-11-24T18:23:11.123Z", "2026-11-24T18:23:11Z"),
        ("2026-11-24T20:23:11+02:00", "2026-11-24T18:23:11Z"), ("2026-11-24", "2026-11-24T00:00:00Z"),
        ("2026-11", "2026-11-01T00:00:00Z"), ("2024-02-29T23:30:00-01:00", "2024-03-01T00:30:00Z"),
    ])
    func paperDates(published: String, stamp: String) throws {
        #expect(AtomTime.stamp(paperTime: published) == stamp)
        let paper = Paper(id: "2601.00001", url: nil, title: "T", abstract: "A", published: published, authors: [], label: "algorithms")
        let address = DigestAtomRenderer.FeedAddress.defaultAddress(selfURL: "https://example.org/d/feed.xml", layout: Self.layout)
        for runTime in ["2026-12-01 08:00", "2026-12-02 08:00"] {
            let feed = try DigestAtomRenderer.render(papers: [paper], labels: ["algorithms"], layout: Self.layout, runTime: runTime, address: address)
            #expect(feed.contains("    <published>\(stamp)</published>\n    <updated>\(stamp)</updated>\n"), "\(feed)")
        }
    }

    @Test("Atom: the years' edges keep their stamps")
    func yearEdges() {
        #expect(AtomTime.stamp(paperTime: "9999-12-31T23:00:00+05:00") == "9999-12-31T18:00:00Z")
        #expect(AtomTime.stamp(paperTime: "0001-01-01T00:30:00-01:00") == "0001-01-01T01:30:00Z")
        #expect(AtomTime.stamp(paperTime: "0001-01") == "0001-01-01T00:00:00Z")
    }

    @Test("Atom: the default self link is the output's file name as a relative reference, percent-encoded")
    func selfLinkFromFileName() {
        typealias Address = DigestAtomRenderer.FeedAddress
        #expect(Address.relativeReference(fileName: "feed.xml") == "feed.xml")
        #expect(Address.relativeReference(fileName: "my feed #1 100%.xml") == "my%20feed%20%231%20100%25.xml")
        #expect(Address.relativeReference(fileName: "javascript:alert(1)") == "javascript%3Aalert%281%29")
        #expect(Address.relativeReference(fileName: "ü.xml") == "%C3%BC.xml")
    }

    @Test("Atom: text that is no date gets no stamp (the feed then uses the run time)",
          arguments: ["<b>", "2026-13", "2026-02-30", "2026-1-01", "2026-11-", "2026", "yesterday", "2026-11-24T25:00:00Z", "",
                      "2024-02-30T10:00:00Z", "2023-02-29T10:00:00Z", "2024-04-31T00:00:00.5Z", "2024-01-02T10:20:30+24:00",
                      "2024-01-02T10:20:30+05:99", "2024-01-02T10:20:30 Z", "2024-01-02T10:20:60Z", "２０２４-01-02", "2026-00",
                      // An offset that moves the time out of years 1–9999 (no four-digit stamp), and year 0.
                      "9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+01:00", "0000-06-01", "0000-06-01T00:00:00Z"])
    func notADate(text: String) {
        #expect(AtomTime.stamp(paperTime: text) == nil)
    }

    @Test("the markup escaper: the five characters, and characters XML forbids are dropped")
    func escaper() {
        #expect(MarkupEscaping.escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&#39;f")
        #expect(MarkupEscaping.escape("x\u{0}\u{1}\u{8}\u{B}\u{C}\u{1F}\u{7F}\u{85}\u{FFFE}\u{FFFF}y\t\n") == "xy\t\n")
        #expect(MarkupEscaping.escape("🧠 ]]> &amp;") == "🧠 ]]&gt; &amp;amp;")
    }

    /// A layout whose labels differ only in punctuation, or are written in other scripts.
    static let awkwardLabels = DigestLayout(title: "T - Daily", intro: "I", sections: [
        .init(label: "hw.x", heading: "Dot"), .init(label: "hw-x", heading: "Dash"), .init(label: "hw_x", heading: "Underscore"),
        .init(label: "量子", heading: "Quantum"), .init(label: "计算", heading: "Computing"), .init(label: "general", heading: "General"),
    ], fallback: "general")

    @Test("HTML: every section gets its own id, and each contents link names exactly one of them")
    func sectionIDsAreUnique() throws {
        let labels = Self.awkwardLabels.labels
        let papers = labels.enumerated().map { i, label in
            Paper(id: String(format: "2601.%05d", i + 1), title: "T\(i)", abstract: "A", published: "2026-01-01", label: label)
        }
        let page = try DigestHTMLRenderer.render(papers: papers, labels: labels, layout: Self.awkwardLabels, runTime: Self.runTime)
        let ids = MarkupTokens.tags(page).compactMap { tag in TagAttribute.value("id", in: tag) }
        #expect(ids.count == labels.count)
        #expect(Set(ids).count == ids.count, "duplicate ids: \(ids)")
        let targets = MarkupTokens.tags(page).compactMap { TagAttribute.value("href", in: $0) }.filter { $0.hasPrefix("#") }
        #expect(targets.map { String($0.dropFirst()) } == ids)
        // Plain ASCII: no escaping needed in a link, and the shipped labels keep the ids they always had.
        #expect(ids.allSatisfy { $0.unicodeScalars.allSatisfy { $0.isASCII && !$0.properties.isWhitespace } })
        #expect(ids.contains("section-hw-x") && ids.contains("section-general"))
        #expect(DigestHTMLRenderer.anchor("hardware") == "section-hardware")
        // The same label, the same id in every run, whatever the other sections are.
        #expect(DigestHTMLRenderer.anchor("量子") == DigestHTMLRenderer.anchor("量子"))
        #expect(DigestHTMLRenderer.anchor("hw.x") == "section-hw_2e_x")
    }

    @Test("Atom: distinct non-ASCII titles get distinct tag: ids, stable from run to run; ASCII titles keep theirs")
    func feedIDsFromTitles() {
        func id(_ title: String) -> String {
            let layout = DigestLayout(title: title, intro: "I", sections: Self.layout.sections, fallback: Self.layout.fallback)
            return DigestAtomRenderer.FeedAddress.defaultAddress(selfURL: "feed.xml", layout: layout).id
        }
        let titles = ["量子计算 - Daily ArXiv", "Нейроморфные - Daily ArXiv", "🧠🧠", "🦀", "Zoë - Daily ArXiv", "Zoe - Daily ArXiv"]
        let ids = titles.map(id)
        #expect(Set(ids).count == titles.count, "\(ids)")
        #expect(ids == titles.map(id), "the same title gives the same id")
        #expect(ids.allSatisfy { $0.hasPrefix("tag:arxiv-digest,2026:") && $0.unicodeScalars.allSatisfy(\.isASCII) })
        #expect(id("量子计算 - Daily ArXiv").hasPrefix("tag:arxiv-digest,2026:daily-arxiv-"))
        #expect(id("Quantum Computing - Daily ArXiv") == "tag:arxiv-digest,2026:quantum-computing-daily-arxiv")
        #expect(id(Self.layout.title) == "tag:arxiv-digest,2026:open-neuromorphic-daily-arxiv")
        // FNV-1a's published test vector: the hash, and so the ids, cannot drift between releases.
        #expect(DigestAtomRenderer.FeedAddress.fnv1a32Hex("a") == "e40c292c")
    }
}

/// Attribute values of one start tag as `MarkupTokens.tags` gives it.
enum TagAttribute {
    static func value(_ name: String, in tag: String) -> String? {
        guard let start = tag.range(of: " \(name)=\"") else { return nil }
        let rest = tag[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
