import ArxivFeed
import DigestRendering
import Foundation
import Testing

@Suite("DigestRenderer")
struct DigestRendererTests {
    static let header = "# 🧠 Open Neuromorphic - Daily ArXiv\n\n**Automated Daily Update** | Last Run: 2026-01-02 03:04 UTC\n\nPapers are automatically categorized by topic and sorted by date.\n\n"

    static func paper(_ id: String, authors: [String]? = nil, truncated: Bool? = nil) -> Paper {
        Paper(id: id, title: "T \(id)", abstract: "A", published: "2026-01-01T10:00:00Z",
              authors: authors, authorsTruncated: truncated)
    }

    @Test("no papers: header then the message, with no final newline (as the README gives it)")
    func noPapers() throws {
        let page = try DigestRenderer.render(papers: [], labels: [], runTime: "2026-01-02 03:04", layout: .shipped)
        #expect(page == Self.header + "### 😴 No new papers found today.\nCheck back tomorrow!")
        let back = try DigestImporter.parse(page, layout: .shipped)
        #expect(back.papers.isEmpty)
        #expect(back.runTime == "2026-01-02 03:04")
        #expect(try DigestImporter.parse(page + "\n", layout: .shipped).papers.isEmpty)
    }

    @Test("authors: all of 1…3, first three + et al. for 4", arguments: [
        (["A"], "A"), (["A", "B"], "A, B"), (["A", "B", "C"], "A, B, C"), (["A", "B", "C", "D"], "A, B, C et al."),
    ])
    func authorTruncation(authors: [String], expected: String) throws {
        #expect(DigestRenderer.authorLine(authors, truncated: false) == expected)
        let page = try DigestRenderer.render(papers: [Self.paper("2601.00001", authors: authors)], labels: ["general"],
                                             runTime: "2026-01-02 03:04", layout: .shipped)
        #expect(page.contains("**2026-01-01** | *\(expected)*\n"))
    }

    @Test("a truncated imported list keeps its et al.")
    func truncatedFlag() {
        #expect(DigestRenderer.authorLine(["A", "B", "C"], truncated: true) == "A, B, C et al.")
    }

    @Test("exact block layout, section order, fallback link and abstract cleaning")
    func layout() throws {
        var a = Self.paper("2601.00001", authors: ["X"])
        a.abstract = "  line one\nline two\n "
        var b = Self.paper("2601.00002")
        b.url = "http://arxiv.org/abs/2601.00002v3"
        let page = try DigestRenderer.render(papers: [a, b], labels: ["applications", "hardware"],
                                             runTime: "2026-01-02 03:04", layout: .shipped)
        let expected = Self.header
            + "## 🛠 Hardware & Materials\n\n"
            + "### [T 2601.00002](http://arxiv.org/abs/2601.00002v3)\n**2026-01-01**\n\n> A\n\n---\n\n"
            + "## 👁\u{FE0F} Applications & Sensing\n\n"
            + "### [T 2601.00001](http://arxiv.org/abs/2601.00001)\n**2026-01-01** | *X*\n\n> line one line two\n\n---\n\n"
        #expect(page == expected)
    }

    @Test("an unknown label is rejected with the paper named")
    func unknownLabel() {
        let labels = ["hardware", "algorithms", "applications", "general"]
        #expect(throws: DigestRenderError.unknownLabel("quantum", paperIndex: 1, paperID: "2601.00002", sections: labels)) {
            try DigestRenderer.render(papers: [Self.paper("2601.00001"), Self.paper("2601.00002")], labels: ["general", "quantum"],
                                      runTime: "2026-01-02 03:04", layout: .shipped)
        }
        let error = DigestRenderError.unknownLabel("quantum", paperIndex: 1, paperID: "2601.00002", sections: labels)
        #expect(error.description.contains("quantum") && error.description.contains("hardware"))
        #expect(throws: DigestRenderError.missingLabel(paperIndex: 0, paperID: "2601.00001", sections: labels)) {
            try DigestRenderer.render(papers: [Self.paper("2601.00001")], runTime: "2026-01-02 03:04", layout: .shipped)
        }
    }

    @Test("run time stamp is UTC YYYY-MM-DD HH:MM")
    func runTime() {
        #expect(DigestRenderer.runTime(for: Date(timeIntervalSince1970: 1_770_107_760)) == "2026-02-03 08:36")
    }

    @Test("each section's label and heading, from the shipped profile")
    func sections() throws {
        let layout = DigestLayout.shipped
        #expect(layout.labels == ["hardware", "algorithms", "applications", "general"])
        let applications = try #require(layout.section(label: "applications"))
        #expect(applications.heading.unicodeScalars.map(\.value).prefix(3) == [0x1F441, 0xFE0F, 0x20])
        #expect(layout.section(heading: "📂 General / Uncategorized")?.label == "general")
        // Without U+FE0F the eye is another heading.
        #expect(layout.section(heading: "👁 Applications & Sensing") == nil)
        #expect(layout.title == "🧠 Open Neuromorphic - Daily ArXiv")
        #expect(layout.fallback == "general")
    }
}
