import ArxivFeed
@testable import DigestRendering
import Foundation
import Testing
import TestSupport

/// Paper text that tries to add structure to the Markdown page.
@Suite("Hostile Markdown")
struct HostileMarkdownTests {
    static let runTime = "2026-03-04 05:06"
    static let labels = DigestLayout.shipped.labels

    /// `count` generated hostile papers (valid arXiv ids; every text field hostile; a title with something to
    /// see, since the pages refuse one without: `PaperTextTests`).
    static func hostilePapers(seed: UInt64, count: Int) -> [Paper] {
        var gen = HostileText(seed: seed)
        return (0..<count).map { i in
            var paper = Paper(id: String(format: "2603.%05d", i), url: gen.next(below: 2) == 0 ? "http://arxiv.org/abs/2603.\(String(format: "%05d", i))v2" : nil,
                              title: gen.text(), abstract: gen.text(maxPieces: 30), published: gen.text(maxPieces: 3) + "2026-03-01",
                              authors: gen.names(), label: labels[gen.next(below: labels.count)])
            if !PaperText.hasVisibleTitle(paper) { paper.title += "x" }
            return paper
        }
    }

    /// What the page keeps of a paper: one-line text, a trimmed abstract, three trimmed names (invisible ones
    /// left out), a 10-character date.
    static func kept(_ p: Paper) -> (title: String, abstract: String, date: String, authors: [String], truncated: Bool) {
        let names = (p.authors ?? []).map { DigestFormat.pythonStrip(MarkdownEscaping.singleLine($0)) }.filter(PaperText.hasVisibleCharacter)
        return (MarkdownEscaping.singleLine(p.title),
                MarkdownEscaping.singleLine(DigestFormat.pythonStrip(DigestFormat.newlinesToSpaces(p.abstract))),
                MarkdownEscaping.singleLine(DigestFormat.pythonPrefix(p.published, 10)),
                Array(names.prefix(3)), names.count > 3)
    }

    @Test("generated hostile papers: import reads back every field, and rendering again gives the same bytes",
          arguments: [1, 2, 3, 4, 5] as [UInt64])
    func hostileRoundTrip(seed: UInt64) throws {
        let papers = Self.hostilePapers(seed: seed, count: 40)
        let page = try DigestRenderer.render(papers: papers, runTime: Self.runTime, layout: .shipped)
        let back = try DigestImporter.parse(page, file: "hostile-\(seed).md", layout: .shipped)
        #expect(back.papers.count == papers.count)
        let byID = Dictionary(uniqueKeysWithValues: back.papers.map { ($0.id, $0) })
        for paper in papers {
            let read = try #require(byID[paper.id])
            let want = Self.kept(paper)
            #expect(read.title == want.title, "\(paper.id)")
            #expect(read.abstract == want.abstract, "\(paper.id)")
            #expect(read.published == want.date, "\(paper.id)")
            #expect(read.authors == want.authors, "\(paper.id)")
            #expect(read.authorsTruncated == want.truncated, "\(paper.id)")
            #expect(read.label == paper.label)
            #expect(read.url == ArxivLink.abstractURL(for: paper))
        }
        #expect(try DigestRenderer.render(papers: back.papers, runTime: back.runTime, layout: .shipped) == page)
    }

    @Test("generated hostile papers add no structure: one block of exactly the expected lines per paper")
    func hostileStructure() throws {
        let papers = Self.hostilePapers(seed: 99, count: 60)
        let page = try DigestRenderer.render(papers: papers, runTime: Self.runTime, layout: .shipped)
        let lines = page.split(separator: "\n", omittingEmptySubsequences: false)
        // Every line is one the format writes: no paper text starts a line of its own.
        for line in lines where !line.isEmpty {
            // Code points, not graphemes: a combining mark may follow the prefix.
            func starts(_ prefix: String) -> Bool { line.unicodeScalars.starts(with: prefix.unicodeScalars) }
            let known = starts("### [") || starts("**") || starts("> ") || starts("## ")
                || line == "---" || starts("# ") || line == Substring(DigestLayout.shipped.intro)
            #expect(known, "unexpected line: \(line)")
        }
        let titleLines = lines.filter { $0.unicodeScalars.starts(with: "### [".unicodeScalars) }
        #expect(titleLines.count == papers.count)
        #expect(!page.unicodeScalars.contains("\r"))
        for line in titleLines {
            // The only unescaped "](" is the link's own, and the link is an arXiv abstract page.
            let link = line[line.range(of: "](", options: .backwards)!.upperBound...].dropLast()
            #expect(ArxivLink.id(inAbstractURL: String(link)) != nil, "\(line)")
            #expect(unescapedOccurrences(of: "<", in: line).allSatisfy { !$0.isASCIILetter && $0 != "/" && $0 != "!" && $0 != "?" })
            #expect(unescapedOccurrences(of: "[", in: line).count == 1, "\(line)")
            #expect(unescapedOccurrences(of: "*", in: line).isEmpty, "\(line)")
        }
    }

    /// The characters after each unescaped `char` (one not preceded by an odd run of backslashes).
    func unescapedOccurrences(of char: Unicode.Scalar, in line: Substring) -> [Unicode.Scalar] {
        let s = Array(line.unicodeScalars)
        var result: [Unicode.Scalar] = []
        for (i, c) in s.enumerated() where c == char {
            var slashes = 0
            while i - slashes - 1 >= 0, s[i - slashes - 1] == "\\" { slashes += 1 }
            if slashes % 2 == 0 { result.append(i + 1 < s.count ? s[i + 1] : " ") }
        }
        return result
    }

    @Test("the issue's hostile records", arguments: [
        ("Spikes](https://evil.example/phish) [x", "### [Spikes\\](https://evil.example/phish) \\[x](http://arxiv.org/abs/2601.00001)"),
        ("A <img src=x onerror=alert(1)> B", "### [A &lt;img src=x onerror=alert(1)> B](http://arxiv.org/abs/2601.00001)"),
        ("T\n### [evil](http://evil)", "### [T ### \\[evil\\](http://evil)](http://arxiv.org/abs/2601.00001)"),
        ("&lt;b&gt; and `a` `b`", "### [&amp;lt;b&amp;gt; and \\`a\\` \\`b\\`](http://arxiv.org/abs/2601.00001)"),
        ("_em_ and *strong* but snake_case", "### [\\_em\\_ and \\*strong\\* but snake_case](http://arxiv.org/abs/2601.00001)"),
        ("ends with \\", "### [ends with \\\\](http://arxiv.org/abs/2601.00001)"),
        ("see https://evil.example and www.evil.example\\<b>", "### [see https://evil.example and www.evil.example\\\\&lt;b>](http://arxiv.org/abs/2601.00001)"),
    ])
    func issueTitles(title: String, line: String) throws {
        let paper = Paper(id: "2601.00001", url: "javascript:alert(1)", title: title, abstract: "a", published: "2026-01-01",
                          authors: ["A"], label: "general")
        let page = try DigestRenderer.render(papers: [paper], runTime: Self.runTime, layout: .shipped)
        #expect(page.contains("\n" + line + "\n"), "\(page)")
        #expect(try DigestImporter.parse(page, layout: .shipped).papers[0].title == MarkdownEscaping.singleLine(title))
    }

    @Test("abstract line starts and fences are neutralised", arguments: [
        ("# heading", "> \\# heading"), ("> quote", "> \\> quote"), ("- item", "> \\- item"), ("1. item", "> 1\\. item"),
        ("```swift\ncode\n```", "> \\`\\`\\`swift code \\`\\`\\`"), ("[x]: https://evil.example", "> \\[x]: https://evil.example"),
        ("<details open>x</details>", "> &lt;details open>x&lt;/details>"), ("~~~", "> \\~\\~\\~"), ("---", "> \\---"),
        ("see [this](https://evil.example)", "> see [this\\](https://evil.example)"),
        ("LaTeX 95\\% and W4A4\\&8, $\\mathcal{B}_{0}$ and $\\mathcal{B}_{1}$, 0.713~W", "> LaTeX 95\\% and W4A4\\&8, $\\mathcal{B}_{0}$ and $\\mathcal{B}_{1}$, 0.713~W"),
    ])
    func abstractStarts(abstract: String, line: String) throws {
        let paper = Paper(id: "2601.00001", title: "t", abstract: abstract, published: "2026-01-01", authors: ["A"], label: "general")
        let page = try DigestRenderer.render(papers: [paper], runTime: Self.runTime, layout: .shipped)
        #expect(page.contains("\n" + line + "\n"), "\(page)")
        #expect(try DigestImporter.parse(page, layout: .shipped).papers[0].abstract == MarkdownEscaping.singleLine(abstract))
    }

    @Test("author names cannot close the emphasis or open links")
    func authors() throws {
        let paper = Paper(id: "2601.00001", title: "t", abstract: "a", published: "2026-01-01",
                          authors: ["A*", "[B](http://evil)", "C\\"], label: "general")
        let page = try DigestRenderer.render(papers: [paper], runTime: Self.runTime, layout: .shipped)
        #expect(page.contains("**2026-01-01** | *A\\*, \\[B\\](http://evil), C\\\\*\n"))
        #expect(try DigestImporter.parse(page, layout: .shipped).papers[0].authors == ["A*", "[B](http://evil)", "C\\"])
    }

    @Test("links: a foreign or javascript: url is rebuilt from the id; an id that is no arXiv id is refused")
    func links() throws {
        func paper(_ id: String, _ url: String?) -> Paper {
            Paper(id: id, url: url, title: "t", abstract: "a", published: "2026-01-01", label: "general")
        }
        #expect(ArxivLink.abstractURL(for: paper("2601.00001", "https://arxiv.org/abs/2601.00001v3")) == "https://arxiv.org/abs/2601.00001v3")
        #expect(ArxivLink.abstractURL(for: paper("2601.00001", "https://evil.example/abs/2601.00001")) == "http://arxiv.org/abs/2601.00001")
        #expect(ArxivLink.abstractURL(for: paper("2601.00001", "javascript:alert(1)")) == "http://arxiv.org/abs/2601.00001")
        #expect(ArxivLink.abstractURL(for: paper("2601.00001", "http://arxiv.org/abs/2601.00002v1")) == "http://arxiv.org/abs/2601.00001")
        #expect(ArxivLink.abstractURL(for: paper("hep-th/0101001", nil)) == "http://arxiv.org/abs/hep-th/0101001")
        #expect(ArxivLink.abstractURL(for: paper("math.GT/0309136", nil)) == "http://arxiv.org/abs/math.GT/0309136")
        for bad in ["javascript:alert(1)", "x)[evil](http://evil", "2601.1", "", "../etc", "HEP-TH/0101001"] {
            #expect(ArxivLink.abstractURL(for: paper(bad, nil)) == nil, "\(bad)")
        }
        #expect(throws: DigestRenderError.invalidID("javascript:alert(1)", paperIndex: 1)) {
            try DigestRenderer.render(papers: [paper("2601.00001", nil), paper("javascript:alert(1)", nil)], runTime: Self.runTime, layout: .shipped)
        }
        #expect(DigestRenderError.invalidID("x", paperIndex: 1).description.contains("paper 1: id \"x\""))
    }

    @Test("the importer refuses a link that is no arXiv abstract page")
    func importerRefusesForeignLinks() {
        let page = DigestImporterTests.validPage.replacingOccurrences(of: "http://arxiv.org/abs/2601.00001v1", with: "https://evil.example/abs/2601.00001")
        #expect(throws: DigestImportError(file: "x.md", line: 9, reason: "link \"https://evil.example/abs/2601.00001\" is not an arXiv abstract URL (http(s)://arxiv.org/abs/<id>)")) {
            try DigestImporter.parse(page, file: "x.md", layout: .shipped)
        }
    }
}
