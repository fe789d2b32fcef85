import ArxivFeed
@testable import DigestRendering
import Foundation
import Testing

/// What all three pages make of a paper's text: the same cleaning in Markdown, HTML and Atom.
@Suite("Paper text on the pages")
struct PaperTextTests {
    static let runTime = "2026-01-02 03:04"
    static let layout = DigestLayout.shipped

    static func paper(title: String = "Title", authors: [String]? = ["Ada Lovelace"], abstract: String = "Abstract.") -> Paper {
        Paper(id: "2601.00001", url: "http://arxiv.org/abs/2601.00001v1", title: title, abstract: abstract,
              published: "2026-01-01T10:00:00Z", authors: authors, label: "general")
    }

    static func markdown(_ paper: Paper) throws -> String {
        try DigestRenderer.render(papers: [paper], runTime: runTime, layout: layout)
    }

    static func html(_ paper: Paper) throws -> String {
        try DigestHTMLRenderer.render(papers: [paper], labels: [paper.label!], layout: layout, runTime: runTime)
    }

    static func atom(_ paper: Paper) throws -> String {
        try DigestAtomRenderer.render(papers: [paper], labels: [paper.label!], layout: layout, runTime: runTime,
                                      address: .defaultAddress(selfURL: "https://example.org/feed.xml", layout: layout))
    }

    @Test("DEL and C1 controls are dropped in Markdown as in HTML and Atom")
    func controlsDropped() throws {
        let dirty = Self.paper(title: "Spik\u{7F}ing\u{85} ne\u{9F}t", authors: ["A\u{80}da", "B\u{1}"], abstract: "Ab\u{7F}s\u{90}tract.\u{7F}")
        let page = try Self.markdown(dirty)
        #expect(page.contains("### [Spiking net](http://arxiv.org/abs/2601.00001v1)\n**2026-01-01** | *Ada, B*\n\n> Abstract.\n\n"))
        for text in [page, try Self.html(dirty), try Self.atom(dirty)] {
            #expect(!text.unicodeScalars.contains { (0x7F...0x9F).contains($0.value) || $0.value == 0x1 })
        }
        // Clean text is untouched, so the seeds still render byte for byte (SeedRoundTripTests).
        #expect(PaperText.visible("Zoë O'Neil \\% 🧠 ‏עברית‎ العربية") == "Zoë O'Neil \\% 🧠 ‏עברית‎ العربية")
    }

    static let bidiControls: [Unicode.Scalar] = ["\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}",
                                                "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}"]

    @Test("bidi embeddings, overrides and isolates in a title or a name are dropped in all three formats",
          arguments: bidiControls)
    func bidiControlsDropped(control: Unicode.Scalar) throws {
        let c = String(control)
        let tricky = Self.paper(title: "Safe \(c)txt.exe", authors: ["\(c)Ada", "Bob"], abstract: "A \(c)b")
        let markdown = try Self.markdown(tricky), html = try Self.html(tricky), atom = try Self.atom(tricky)
        for text in [markdown, html, atom] {
            #expect(!text.unicodeScalars.contains(control), "U+\(String(control.value, radix: 16, uppercase: true))")
        }
        #expect(markdown.contains("### [Safe txt.exe](http://arxiv.org/abs/2601.00001v1)\n**2026-01-01** | *Ada, Bob*\n\n> A b\n\n"))
        #expect(html.contains(">Safe txt.exe</a></h3>") && html.contains("<span class=\"authors\">Ada, Bob</span>"))
        #expect(atom.contains("<title type=\"text\">Safe txt.exe</title>") && atom.contains("<author><name>Ada</name></author>"))
    }

    @Test("names are trimmed once the dropped characters are gone, and names left empty are left out, on all three pages")
    func namesTrimmedAfterCleaning() throws {
        let paper = Self.paper(authors: ["Ann \u{202E}", "", "\u{1}", "\u{200B}", "\u{3164}", "\u{AD}\u{FE0F}", " \u{2066}Bob", "\u{7F} "])
        let markdown = try Self.markdown(paper), html = try Self.html(paper), atom = try Self.atom(paper)
        // "*Ann *" would not end the italics on GitHub: a closing `*` may not follow a space.
        #expect(markdown.contains("**2026-01-01** | *Ann, Bob*\n"), "\(markdown)")
        #expect(html.contains("<span class=\"authors\">Ann, Bob</span>"), "\(html)")
        #expect(atom.components(separatedBy: "<author><name>").count - 1 == 2 + 1, "two paper authors and the feed's own")
        #expect(atom.contains("<author><name>Ann</name></author>") && atom.contains("<author><name>Bob</name></author>"))
        #expect(!atom.contains("<name></name>"))
        let back = try DigestImporter.parse(markdown, layout: Self.layout)
        #expect(back.papers.first?.authors == ["Ann", "Bob"])
    }

    @Test("a title with nothing visible is refused on every page, naming the paper",
          arguments: ["\u{202E}\u{2066}", "\u{200B}", "\u{7F}\u{1}", " \u{FEFF}\u{200E} ", "\u{2028}", "\u{3164}", "\u{115F}\u{1160}",
                      "\u{FFA0}", "\u{2800}", "\u{34F}\u{FE0F}", "\u{E0100}", "\u{17B4}\u{17B5}", "\u{AD}", "\u{A0}\u{3000}"])
    func invisibleTitleRefused(title: String) throws {
        let paper = Self.paper(title: title)
        let expected = DigestRenderError.invisibleTitle(paperIndex: 0, paperID: "2601.00001")
        #expect(throws: expected) { try Self.markdown(paper) }
        #expect(throws: expected) { try Self.html(paper) }
        #expect(throws: expected) { try Self.atom(paper) }
        // One character to see is enough; a lone combining accent draws one too, and so do right-to-left scripts.
        #expect(try Self.markdown(Self.paper(title: title + "x")).contains("x](http://arxiv.org/abs/2601.00001v1)"))
        for visible in ["\u{301}", "שלום", "مرحبا", "🧠"] { #expect(PaperText.hasVisibleCharacter(title + visible)) }
    }

    @Test("no authors: the date alone, no stray asterisks, and the page imports back to the same bytes",
          arguments: [[], [""]] as [[String]])
    func noAuthors(authors: [String]) throws {
        let page = try Self.markdown(Self.paper(authors: authors))
        #expect(page.contains("### [Title](http://arxiv.org/abs/2601.00001v1)\n**2026-01-01**\n\n> Abstract.\n\n"))
        #expect(!page.contains("| **"))
        let back = try DigestImporter.parse(page, layout: Self.layout)
        #expect(back.papers.first?.authors == [])
        #expect(back.papers.first?.published == "2026-01-01")
        #expect(try DigestRenderer.render(papers: back.papers, runTime: back.runTime, layout: Self.layout) == page)
        // The line the renderer used to write still imports.
        let old = page.replacingOccurrences(of: "**2026-01-01**\n", with: "**2026-01-01** | **\n")
        #expect(try DigestImporter.parse(old, layout: Self.layout).papers.first?.authors == [])
        // HTML and Atom already left the authors out.
        #expect(try Self.html(Self.paper(authors: authors)).contains("<p class=\"meta\"><time>2026-01-01</time></p>"))
    }

    @Test("no authors and no date: the line keeps its separator, since **** alone would be a thematic break")
    func noAuthorsNoDate() throws {
        var paper = Self.paper(authors: [])
        paper.published = ""
        let page = try Self.markdown(paper)
        #expect(page.contains("\n**** | **\n"))
        #expect(try DigestImporter.parse(page, layout: Self.layout).papers.first?.published == "")
    }
}
