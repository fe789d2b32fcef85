import ArxivFeed
import DigestRendering
import Foundation
import Testing
import TestSupport

/// `digest --format markdown|html|atom` on the sample feed, the seeds' papers and hostile papers,
/// read back by the parsers that matter: GitHub's (cmark-gfm), Python's feedparser and our own.
@Suite("digest --format")
struct DeliveryFormatTests {
    static let runTime = "2026-11-25 08:00"
    static let sampleFeed = SharedData.packageRoot.appendingPathComponent("Datasets/samples/sample-feed.xml")

    static func digest(_ arguments: [String]) throws -> ProcessResult {
        try CLI.run(["digest", "--classifier", "keywords", "--run-time", runTime] + arguments)
    }

    @Test("the default stays the Markdown page, byte for byte the same as --format markdown")
    func markdownDefault() throws {
        let plain = try Self.digest(["--feed", Self.sampleFeed.path])
        let markdown = try Self.digest(["--feed", Self.sampleFeed.path, "--format", "markdown"])
        try #require(plain.status == 0 && markdown.status == 0, CLI.describe(plain))
        #expect(plain.stdout == markdown.stdout)
        #expect(plain.stdoutText.hasPrefix("# 🧠 Open Neuromorphic - Daily ArXiv\n"))
    }

    @Test("html and atom on the sample feed and on each seed's papers", arguments: ["sample", "seeds/digest-2026-02-03.md", "seeds/digest-2026-02-11.md"])
    func formats(source: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var input = ["--feed", Self.sampleFeed.path]
        var papers = try AtomFeed.parse(Data(contentsOf: Self.sampleFeed), source: "sample").papers
        if source != "sample" {
            let imported = try CLI.run(["import-digest", SharedData.url(source).path, "--output", scratch.path("seed.jsonl")])
            try #require(imported.status == 0, CLI.describe(imported))
            input = ["--papers", scratch.path("seed.jsonl")]
            papers = try PaperJSONLReader.readAll(contentsOf: scratch.url("seed.jsonl"))
        }
        let html = try Self.digest(input + ["--format", "html", "--output", scratch.path("index.html")])
        let atom = try Self.digest(input + ["--format", "atom", "--feed-url", "https://example.org/d/feed.xml", "--output", scratch.path("feed.xml")])
        try #require(html.status == 0, CLI.describe(html))
        try #require(atom.status == 0, CLI.describe(atom))
        let page = try scratch.text("index.html")
        #expect(occurrences(of: "<article>", in: page) == papers.count)
        let feed = try AtomFeed.parse(scratch.read("feed.xml"), source: "feed.xml").papers
        #expect(feed.map(\.id).sorted() == papers.map(\.id).sorted())
        #expect(Set(feed.map(\.title)) == Set(papers.map(\.title)))
        let read = try FeedparserResult.read(scratch.url("feed.xml"))
        #expect(read.bozo == false, "\(read.bozoException)")
        #expect(read.feedSelf == ["https://example.org/d/feed.xml"])
        #expect(read.entries.count == papers.count)
    }

    @Test("--feed-url must be an absolute http(s) URL without spaces: anything else is refused, naming the option, and nothing is written",
          arguments: ["", " ", "feed.xml", "/digest/feed.xml", "javascript:alert(1)", "file:///etc/passwd", "https://e.org/a b",
                      "https://e.org/a\tb", "https://", "http:feed.xml", "http://x/\"><script>", "https://e.org/{a}",
                      "https://e.org/a\\b", "https://e.org/a|b", "https://e.org/a\u{85}b", "https://example.org/\u{202E}evil.xml",
                      "https://e.org/\u{200F}f", "https://e.org/\u{200B}f", "https://example.org/a%zz", "https://example.org/a%2",
                      "https://example.org/f#a#b", "https://example.org/[x]", "https://example.org:99999/f"])
    func feedURLChecked(url: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("feed.xml", goodContent)
        let result = try Self.digest(["--feed", Self.sampleFeed.path, "--format", "atom", "--feed-url", url, "--output", scratch.path("feed.xml")])
        #expect(result.status == 64, CLI.describe(result))
        #expect(result.stderrText.hasPrefix("Error: --feed-url must be an absolute http(s) URL without spaces"), CLI.describe(result))
        #expect(try scratch.text("feed.xml") == goodContent)
        let good = try Self.digest(["--feed", Self.sampleFeed.path, "--format", "atom", "--feed-url", "HTTPS://example.org/feed.xml"])
        #expect(good.status == 0, CLI.describe(good))
        #expect(good.stdoutText.contains("<id>HTTPS://example.org/feed.xml</id>"))
        // Escapes, a fragment, an IPv6 host, a port and non-ASCII letters are addresses too.
        for address in ["https://example.org/d%C3%A9/feed.xml#top", "http://[::1]:8080/feed.xml", "https://example.org/dé/feed.xml"] {
            let accepted = try Self.digest(["--feed", Self.sampleFeed.path, "--format", "atom", "--feed-url", address])
            #expect(accepted.status == 0, CLI.describe(accepted))
        }
    }

    @Test("--feed-url for a run that writes no Atom page is refused rather than ignored; nothing is written",
          arguments: [["--format", "markdown"], ["--format", "html"], []])
    func feedURLWithoutAtom(format: [String]) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("page", goodContent)
        let result = try Self.digest(["--feed", Self.sampleFeed.path, "--feed-url", "https://example.org/feed.xml", "--output", scratch.path("page")] + format)
        #expect(result.status == 64, CLI.describe(result))
        #expect(result.stderrText.contains("--feed-url is the address of an Atom feed, but this run writes no Atom page"), CLI.describe(result))
        #expect(try scratch.text("page") == goodContent)
    }

    @Test("a paper whose title has nothing visible is refused with its file and entry or line named; nothing is written")
    func invisibleTitle() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var feed = try String(contentsOf: Self.sampleFeed, encoding: .utf8)
        let firstTitle = try #require(feed.range(of: "<entry>").flatMap { entry in
            feed.range(of: "<title>", range: entry.upperBound..<feed.endIndex).flatMap { open in
                feed.range(of: "</title>", range: open.upperBound..<feed.endIndex).map { open.upperBound..<$0.lowerBound }
            }
        })
        feed.replaceSubrange(firstTitle, with: "\u{202E}\u{2066} &#x200B;")
        try scratch.write("feed.xml", feed)
        var papers = HostilePapers.papers(seed: 2, count: 2)
        papers[1].title = "\u{2067}\u{FEFF}"
        let jsonl = try HostilePapers.write(papers, to: scratch.url("bad.jsonl"))
        try scratch.write("page", goodContent)
        for (source, place) in [(["--feed", scratch.path("feed.xml")], "feed.xml: entry 1: the title (U+202E U+2066 U+0020 U+200B)"),
                                (["--papers", jsonl.path], "bad.jsonl:2: the title (U+2067 U+FEFF)")] {
            let result = try Self.digest(source + ["--output", scratch.path("page")])
            #expect(result.status == 1, CLI.describe(result))
            #expect(result.stderrText.contains(place) && result.stderrText.contains("has nothing visible"), CLI.describe(result))
            #expect(try scratch.text("page") == goodContent)
        }
    }

    @Test("hostile papers: feedparser reads the Atom feed cleanly, titles as text, stable ids, sections as categories")
    func hostileAtom() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let papers = HostilePapers.papers(seed: 5, count: 40)
        let jsonl = try HostilePapers.write(papers, to: scratch.url("hostile.jsonl"))
        for run in ["first.xml", "second.xml"] {
            let result = try Self.digest(["--papers", jsonl.path, "--format", "atom", "--feed-url", "https://example.org/feed.xml",
                                          "--output", scratch.path(run)])
            try #require(result.status == 0, CLI.describe(result))
        }
        #expect(try scratch.read("first.xml") == scratch.read("second.xml"))
        let read = try FeedparserResult.read(scratch.url("first.xml"))
        #expect(read.bozo == false, "\(read.bozoException)")
        #expect(read.entries.count == papers.count)
        let byID = Dictionary(uniqueKeysWithValues: read.entries.map { ($0.id, $0) })
        let labels = Set(HostilePapers.labels)
        for paper in papers {
            let entry = try #require(byID["http://arxiv.org/abs/\(paper.id)"], "\(paper.id)")
            #expect(entry.titleType == "text/plain")
            // feedparser trims the ends of a text element; nothing else may change.
            #expect(entry.title == HostilePapers.shown(paper.title).trimmingCharacters(in: .whitespaces), "\(paper.id)")
            #expect(entry.link.hasPrefix("http://arxiv.org/abs/\(paper.id)"))
            #expect(entry.terms.count == 1 && labels.contains(entry.terms[0]))
            // Names with nothing visible are left out.
            #expect(entry.authors.count == (paper.authors ?? []).filter { PaperText.hasVisibleCharacter(HostilePapers.shown($0)) }.count)
        }
    }

    @Test("hostile papers: GitHub's parser (cmark-gfm) finds only the page's own structure, and the titles as text")
    func hostileMarkdownOnGitHub() throws {
        guard let cmark = ProcessRunner.which("cmark-gfm") else {
            throw ProcessRunner.MissingProgram(name: "cmark-gfm (bash .ci/setup installs it)")
        }
        let scratch = try Scratch()
        defer { scratch.remove() }
        let papers = HostilePapers.papers(seed: 59, count: 80)
        let jsonl = try HostilePapers.write(papers, to: scratch.url("hostile.jsonl"))
        let result = try Self.digest(["--papers", jsonl.path, "--output", scratch.path("README.md")])
        try #require(result.status == 0, CLI.describe(result))
        let imported = try CLI.run(["import-digest", scratch.path("README.md")])
        #expect(imported.status == 0, CLI.describe(imported))
        let html = try ProcessRunner.run(cmark, ["--extension", "autolink", "--extension", "strikethrough", "--extension", "table",
                                                 "--extension", "tagfilter", "--unsafe", scratch.path("README.md")])
        try #require(html.status == 0)
        let page = html.stdoutText
        let sections = occurrences(of: "<h2>", in: page)
        #expect(occurrences(of: "<h1>", in: page) == 1)
        #expect(occurrences(of: "<h3>", in: page) == papers.count)
        #expect(occurrences(of: "<blockquote>", in: page) == papers.count)
        #expect(occurrences(of: "<hr />", in: page) == sections)
        // Only the elements the page itself writes (emphasis and strikethrough are GitHub's reading of
        // `_` in $math$ and of single `~`, which the seeds need as they are).
        let allowed: Set<String> = ["h1", "h2", "h3", "p", "a", "strong", "em", "del", "blockquote", "hr"]
        let names = Set(MarkupTokens.tags(page).map { tag in
            String(tag.dropFirst().drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber })
        })
        #expect(names.subtracting(allowed).isEmpty, "unexpected elements \(names.subtracting(allowed))")
        // Every link is a title's arXiv link, or a bare URL or e-mail address that GFM links and that
        // shows its own address.
        for part in page.components(separatedBy: "<a href=\"").dropFirst() {
            let href = String(part.prefix { $0 != "\"" })
            let text = HostilePapers.decodeText(String(part.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" }))
            if href.hasPrefix("http://arxiv.org/abs/2603.") || href == "mailto:" + text { continue }
            let address = ["https://", "http://", "www."].first { text.hasPrefix($0) }
            let host = address.map { text.dropFirst($0.count).prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") } } ?? ""
            #expect(!host.isEmpty && href.contains(host), "link \(href) shows \(text)")
        }
        // Each title heading is one link whose visible text is the title (less the delimiters GitHub may
        // read as emphasis, and the backslash of `\%` and `\&`, as the original digests print them).
        let keep = { (text: String) in String(String.UnicodeScalarView(text.unicodeScalars.filter { !"_~\\*".unicodeScalars.contains($0) })) }
        for paper in papers {
            let heading = "<h3><a href=\"\(paper.url!.hasPrefix("http://arxiv.org") ? paper.url! : "http://arxiv.org/abs/\(paper.id)")\">"
            let inner = try #require(HostilePapers.between(heading, "</a></h3>", in: page).first, "\(paper.id) has no heading link")
            #expect(!inner.contains("<a "), "\(paper.id): link inside the title")
            let visible = HostilePapers.decodeText(MarkupTokens.tags(inner).reduce(inner) { $0.replacingOccurrences(of: $1, with: "") })
            #expect(keep(visible) == keep(HostilePapers.shown(paper.title)), "\(paper.id)")
        }
    }

    /// The shipped profile copied into `scratch` with an `[outputs]` table (model path made absolute).
    static func profileWithOutputs(in scratch: Scratch, outputs: String) throws -> URL {
        let models = SharedData.packageRoot.appendingPathComponent("Models")
        var text = try String(contentsOf: models.appendingPathComponent("open-neuromorphic.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "model = \"topics.model\"", with: "model = \"\(models.appendingPathComponent("topics.model").path)\"")
        return try scratch.write("profile.toml", text + "\n[outputs]\n" + outputs)
    }

    @Test("a profile's [outputs]: one run writes every page, each the same as its --format run; --format still wins")
    func profileOutputs() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(at: scratch.url("site"), withIntermediateDirectories: true)
        let profile = try Self.profileWithOutputs(in: scratch, outputs: """
            markdown = "README.md"
            html = "site/index.html"
            atom = "site/feed.xml"
            """)
        let run = try Self.digest(["--profile", profile.path, "--feed", Self.sampleFeed.path])
        try #require(run.status == 0, CLI.describe(run))
        #expect(run.stdout.isEmpty)
        #expect(run.stderrText.contains("wrote \(scratch.path("site/feed.xml"))"))
        for (format, file) in [("markdown", "README.md"), ("html", "site/index.html"), ("atom", "site/feed.xml")] {
            let single = try Self.digest(["--profile", profile.path, "--feed", Self.sampleFeed.path, "--format", format,
                                          "--output", scratch.path("single-" + URL(fileURLWithPath: file).lastPathComponent)])
            try #require(single.status == 0, CLI.describe(single))
            var expected = try scratch.text("single-" + URL(fileURLWithPath: file).lastPathComponent)
            expected = expected.replacingOccurrences(of: "href=\"single-feed.xml\"", with: "href=\"feed.xml\"")
            #expect(try scratch.text(file) == expected, "\(file)")
        }
        let explicit = try Self.digest(["--profile", profile.path, "--feed", Self.sampleFeed.path, "--format", "atom"])
        #expect(explicit.status == 0 && explicit.stdoutText.hasPrefix("<?xml"))
        // Without an [outputs] table nothing changes: the page goes to standard output.
        let shipped = try Self.digest(["--feed", Self.sampleFeed.path])
        #expect(shipped.stdoutText.hasPrefix("# 🧠 Open Neuromorphic - Daily ArXiv"))
    }

    @Test("[outputs] with a bad paper: no output file is touched")
    func profileOutputsAllOrNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let profile = try Self.profileWithOutputs(in: scratch, outputs: "markdown = \"README.md\"\nhtml = \"index.html\"\n")
        try scratch.write("README.md", goodContent)
        try scratch.write("index.html", goodContent)
        var papers = HostilePapers.papers(seed: 3, count: 4)
        papers[3].id = "x)[a](b"
        let jsonl = try HostilePapers.write(papers, to: scratch.url("bad.jsonl"))
        let run = try Self.digest(["--profile", profile.path, "--papers", jsonl.path])
        #expect(run.status != 0)
        #expect(run.stderrText.contains("bad.jsonl:4: id \"x)[a](b\""), "\(run.stderrText)")
        #expect(try scratch.text("README.md") == goodContent && scratch.text("index.html") == goodContent)
    }

    @Test("a paper whose id is no arXiv id is refused with its file and line named; nothing is written")
    func invalidID() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var papers = HostilePapers.papers(seed: 1, count: 3)
        papers[2].id = "javascript:alert(1)"
        let jsonl = try HostilePapers.write(papers, to: scratch.url("bad.jsonl"))
        try scratch.write("index.html", goodContent)
        for format in ["markdown", "html", "atom"] {
            let result = try Self.digest(["--papers", jsonl.path, "--format", format, "--output", scratch.path("index.html")])
            #expect(result.status != 0)
            #expect(result.stderrText.contains("bad.jsonl:3: id \"javascript:alert(1)\" is no arXiv identifier"), "\(result.stderrText)")
            #expect(try scratch.text("index.html") == goodContent)
        }
    }

    @Test("a --papers record whose id is no arXiv id is named by its file and line (1-based, blank lines counted)")
    func badIDNamesFileAndLine() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let good = try JSONLines.sampleLines()
        var bad = try JSONLines.object(good[1])
        bad["id"] = "2601.00001v2"
        try scratch.write("first.jsonl", JSONLines.join([good[0]]))
        try scratch.write("second.jsonl", JSONLines.join([good[2], "", try JSONLines.line(bad)]))
        let result = try Self.digest(["--papers", scratch.path("first.jsonl"), "--papers", scratch.path("second.jsonl")])
        #expect(result.status == 1, CLI.describe(result))
        #expect(result.stderrText.contains("\(scratch.path("second.jsonl")):3: id \"2601.00001v2\" is no arXiv identifier"), CLI.describe(result))
        #expect(result.stderrText.contains("without its version v2"), CLI.describe(result))
        #expect(result.stdout.isEmpty)
    }
}

/// What `Scripts/read_feed.py` (feedparser) found in a feed.
struct FeedparserResult: Decodable {
    struct Feed: Decodable {
        let id: String?
        let title: String?
        let `self`: [String]
    }

    struct Entry: Decodable {
        let id: String
        let title: String
        let titleType: String?
        let link: String
        let summary: String?
        let published: String?
        let authors: [String]
        let terms: [String]

        enum CodingKeys: String, CodingKey {
            case id, title, link, summary, published, authors, terms
            case titleType = "title_type"
        }
    }

    let bozo: Bool
    let bozoException: String
    let feed: Feed
    let entries: [Entry]

    var feedSelf: [String] { feed.`self` }

    enum CodingKeys: String, CodingKey {
        case bozo, feed, entries
        case bozoException = "bozo_exception"
    }

    static func read(_ url: URL) throws -> FeedparserResult {
        let result = try ProcessRunner.python("Tests/CLITests/Scripts/read_feed.py", [url.path])
        try #require(result.status == 0, "read_feed.py: \(result.stderrText)")
        return try JSONDecoder().decode(FeedparserResult.self, from: result.stdout)
    }
}
