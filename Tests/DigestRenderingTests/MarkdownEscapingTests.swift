import ArxivFeed
@testable import DigestRendering
import Foundation
import SeededRandom
import Testing
import TestSupport

/// The escaper on dense random punctuation, read back by our importer and by GitHub's parser.
@Suite("Markdown escaping on random punctuation")
struct MarkdownEscapingTests {
    static let alphabet = Array("[]()<>!*_`~#&;:/\\|-+=.$\"' a1é\u{301}".unicodeScalars)

    static func randomText(_ random: inout SplitMix64, maxLength: Int = 24) -> String {
        let count = 1 + random.next(below: maxLength)
        return String(String.UnicodeScalarView((0..<count).map { _ in alphabet[random.next(below: alphabet.count)] }))
    }

    @Test("unescape(escape(x)) == x in every field, for 20,000 random strings")
    func inverse() {
        var random = SplitMix64(seed: 12)
        for _ in 0..<20_000 {
            let text = Self.randomText(&random)
            for field in [MarkdownEscaping.Field.title, .metaLine, .abstract] {
                let escaped = MarkdownEscaping.escape(text, in: field)
                #expect(MarkdownEscaping.unescape(escaped) == text, "\(field): \(text) → \(escaped)")
            }
        }
    }

    @Test("GitHub's parser (cmark-gfm) shows each random title as one link with the title as its text")
    func cmarkReadsTitlesAsText() throws {
        let cmark = try #require(ProcessRunner.which("cmark-gfm"), "cmark-gfm is missing (bash .ci/setup installs it)")
        var random = SplitMix64(seed: 34)
        let papers = (0..<300).map { i in
            Paper(id: String(format: "2604.%05d", i), title: Self.randomText(&random), abstract: Self.randomText(&random, maxLength: 60),
                  published: "2026-04-01", authors: [Self.randomText(&random, maxLength: 8), Self.randomText(&random, maxLength: 8)],
                  label: "general")
        }
        let page = try DigestRenderer.render(papers: papers, runTime: "2026-04-01 00:00", layout: .shipped)
        #expect(try DigestImporter.parse(page, layout: .shipped).papers.map(\.title) == papers.map(\.title))
        let result = try ProcessRunner.run(cmark, ["--extension", "autolink", "--extension", "strikethrough",
                                                   "--extension", "table", "--extension", "tagfilter", "--unsafe"],
                                           input: Data(page.utf8))
        try #require(result.status == 0)
        let html = result.stdoutText
        #expect(html.components(separatedBy: "<h3>").count - 1 == papers.count)
        #expect(html.components(separatedBy: "<blockquote>").count - 1 == papers.count)
        for forbidden in ["<img", "<code", "<pre", "<ul", "<ol", "<li", "<table", "<h4", "<details", "<script"] {
            #expect(!html.contains(forbidden), "\(forbidden)")
        }
        // Delimiters GitHub may read as emphasis or strikethrough, and backslashes, are left out of
        // the comparison (see MarkdownEscaping: `_` in $…$, single `~`, `\%` and `\&`).
        let keep = { (text: String) in String(String.UnicodeScalarView(text.unicodeScalars.filter { !"_~\\*".unicodeScalars.contains($0) })) }
        let headings = html.components(separatedBy: "<h3>").dropFirst()
        for (paper, heading) in zip(papers, headings) {
            // Code points: a title may start with a combining mark, which joins the tag's `>` as one Character.
            let link = Array("<a href=\"http://arxiv.org/abs/\(paper.id)\">".unicodeScalars)
            let scalars = Array(heading.unicodeScalars)
            #expect(scalars.starts(with: link), "\(paper.title) → \(heading.prefix(120))")
            let rest = String(String.UnicodeScalarView(scalars.dropFirst(link.count)))
            guard let end = rest.range(of: "</a></h3>", options: .literal) else { Issue.record("no link end: \(heading.prefix(120))"); continue }
            let inner = String(rest[..<end.lowerBound])
            #expect(!inner.contains("<a "))
            #expect(keep(Self.visibleText(inner)).unicodeScalars.elementsEqual(keep(paper.title).unicodeScalars), "\(paper.title) → \(inner)")
        }
    }

    @Test("GitHub's parser (cmark-gfm) shows each random abstract as one quoted paragraph of the abstract's text")
    func cmarkReadsAbstractsAsText() throws {
        let cmark = try #require(ProcessRunner.which("cmark-gfm"), "cmark-gfm is missing (bash .ci/setup installs it)")
        var random = SplitMix64(seed: 56)
        let papers = (0..<300).map { i in
            Paper(id: String(format: "2604.%05d", i), title: "t", abstract: Self.randomText(&random, maxLength: 40),
                  published: "2026-04-01", authors: ["A"], label: "general")
        }
        let page = try DigestRenderer.render(papers: papers, runTime: "2026-04-01 00:00", layout: .shipped)
        let result = try ProcessRunner.run(cmark, ["--extension", "autolink", "--extension", "strikethrough",
                                                   "--extension", "table", "--extension", "tagfilter", "--unsafe"],
                                           input: Data(page.utf8))
        try #require(result.status == 0)
        let quotes = result.stdoutText.components(separatedBy: "<blockquote>\n").dropFirst()
        #expect(quotes.count == papers.count)
        let keep = { (text: String) in String(String.UnicodeScalarView(text.unicodeScalars.filter { !"_~\\*".unicodeScalars.contains($0) })) }
        for (paper, quote) in zip(papers, quotes) {
            let body = quote.components(separatedBy: "</blockquote>")[0]
            let abstract = DigestFormat.pythonStrip(paper.abstract)
            guard !abstract.isEmpty else { continue }
            let scalars = Array(body.unicodeScalars)
            #expect(scalars.starts(with: "<p>".unicodeScalars) && body.hasSuffix("</p>\n")
                        && Self.count("<p>", in: body) == 1 && Self.count("<blockquote", in: body) == 0,
                    "\(paper.abstract) → \(body)")
            #expect(keep(Self.visibleText(body)).trimmingCharacters(in: .newlines).unicodeScalars.elementsEqual(keep(abstract).unicodeScalars),
                    "\(paper.abstract) → \(body)")
        }
    }

    /// Occurrences of `needle` in `text`, code point for code point.
    static func count(_ needle: String, in text: String) -> Int {
        let s = Array(text.unicodeScalars), n = Array(needle.unicodeScalars)
        guard s.count >= n.count else { return 0 }
        return (0...(s.count - n.count)).filter { Array(s[$0..<($0 + n.count)]) == n }.count
    }

    /// HTML text without tags, with cmark's references decoded.
    static func visibleText(_ html: String) -> String {
        var text = String.UnicodeScalarView()
        var inTag = false
        for scalar in html.unicodeScalars {
            if scalar == "<" { inTag = true } else if scalar == ">" && inTag { inTag = false } else if !inTag { text.append(scalar) }
        }
        var out = String(text)
        for (entity, char) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            out = out.replacingOccurrences(of: entity, with: char, options: .literal)
        }
        return out
    }
}
