import ArxivFeed
import Foundation
import Testing
import TestSupport

/// The HTML page in a real browser: headless Chromium (installed by `.ci/setup`) loads the file and
/// prints the DOM once the page has loaded (`--dump-dom` waits for the load event, so nothing here
/// depends on timing; `timeout` only kills a browser that hangs), and its console messages go to
/// standard error (`--enable-logging=stderr`).
@Suite("HTML digest in headless Chromium")
struct BrowserTests {
    static let runTime = "2026-11-25 08:00"

    /// The serialized DOM after load, and the console lines the page logged.
    static func load(_ page: URL, scratch: Scratch) throws -> (dom: String, console: [String]) {
        guard let timeout = ProcessRunner.which("timeout") else { throw ProcessRunner.MissingProgram(name: "timeout") }
        guard let chromium = ProcessRunner.which("chromium") else {
            throw ProcessRunner.MissingProgram(name: "chromium (bash .ci/setup installs it)")
        }
        let result = try ProcessRunner.run(timeout, [
            "--kill-after=10", "300", chromium.path, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--user-data-dir=\(scratch.path("chromium-profile"))", "--enable-logging=stderr", "--v=0",
            "--dump-dom", page.absoluteString,
        ])
        try #require(result.status == 0, "chromium exit \(result.status): \(result.stderrText.suffix(800))")
        let console = result.stderrText.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return (result.stdoutText, console)
    }

    /// (arXiv id, visible title) of each paper heading in a DOM, in page order.
    static func headings(in dom: String) -> [(id: String, title: String)] {
        HostilePapers.between("<h3><a href=\"", "</a></h3>", in: dom).compactMap { part in
            guard let close = HostilePapers.between("", "\">", in: part).first else { return nil }
            var id = close.replacingOccurrences(of: "http://arxiv.org/abs/", with: "")
            if let v = id.lastIndex(of: "v"), id[id.index(after: v)...].allSatisfy(\.isNumber) { id = String(id[..<v]) }
            let title = String(String.UnicodeScalarView(part.unicodeScalars.dropFirst(close.unicodeScalars.count + 2)))
            return (id, HostilePapers.decodeText(title))
        }
    }

    /// `digest --format html` of a JSON Lines file with the keyword rules.
    func renderHTML(papers: URL, to output: URL) throws {
        let result = try CLI.run(["digest", "--papers", papers.path, "--classifier", "keywords", "--format", "html",
                                  "--run-time", Self.runTime, "--output", output.path])
        try #require(result.status == 0, CLI.describe(result))
    }

    @Test("the sample digest loads with no console message and shows every paper title as text")
    func sampleDigest() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let feed = SharedData.packageRoot.appendingPathComponent("Datasets/samples/sample-feed.xml")
        let result = try CLI.run(["digest", "--feed", feed.path, "--classifier", "keywords", "--format", "html",
                                  "--run-time", Self.runTime, "--output", scratch.path("index.html")])
        try #require(result.status == 0, CLI.describe(result))
        let (dom, console) = try Self.load(scratch.url("index.html"), scratch: scratch)
        #expect(console.isEmpty, "\(console)")
        let papers = try AtomFeed.parse(Data(contentsOf: feed), source: "sample-feed.xml").papers
        let shown = Self.headings(in: dom)
        #expect(shown.count == papers.count)
        for paper in papers {
            #expect(shown.contains { $0.id == paper.id && $0.title.unicodeScalars.elementsEqual(paper.title.unicodeScalars) }, "\(paper.id)")
        }
        #expect(dom.contains("<time datetime=\"2026-11-25T08:00:00Z\">2026-11-25 08:00 UTC</time>"))
    }

    @Test("hostile titles, authors and abstracts show as text: the DOM has the same elements as a plain page")
    func hostileDigest() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let papers = HostilePapers.papers(seed: 7, count: 30)
        try renderHTML(papers: HostilePapers.write(papers, to: scratch.url("hostile.jsonl")), to: scratch.url("hostile.html"))
        let hostile = try Self.load(scratch.url("hostile.html"), scratch: scratch)
        #expect(hostile.console.isEmpty, "\(hostile.console)")
        // The plain page must get the same sections: read them off the hostile page, and give each plain
        // title one keyword of its section (the keyword rules then agree; the fallback takes none).
        let keyword = ["hardware": " memristor", "algorithms": " plasticity", "applications": " vision", "general": ""]
        var sectionOf: [String: String] = [:]
        for part in hostile.dom.components(separatedBy: "<section id=\"section-").dropFirst() {
            let label = String(part.prefix { $0 != "\"" })
            for heading in Self.headings(in: part) { sectionOf[heading.id] = label }
        }
        var plain = HostilePapers.plain(papers)
        for i in plain.indices { plain[i].title += keyword[sectionOf[plain[i].id] ?? "general"] ?? "" }
        try renderHTML(papers: HostilePapers.write(plain, to: scratch.url("plain.jsonl")), to: scratch.url("plain.html"))
        let reference = try Self.load(scratch.url("plain.html"), scratch: scratch)
        let hostileTags = MarkupTokens.tags(hostile.dom), plainTags = MarkupTokens.tags(reference.dom)
        #expect(hostileTags.count == plainTags.count)
        #expect(hostileTags == plainTags, "the hostile page has elements or attributes the plain one lacks")
        let shown = Self.headings(in: hostile.dom)
        #expect(shown.count == papers.count)
        for paper in papers {
            let want = HostilePapers.shown(paper.title)
            #expect(shown.contains { $0.id == paper.id && $0.title.unicodeScalars.elementsEqual(want.unicodeScalars) }, "\(paper.id): \(want)")
        }
    }

    @Test("labels that differ only in punctuation or are not ASCII: the browser's DOM has unique section ids, and every contents link finds its section")
    func sectionAnchors() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // Sections labelled hw.x, hw-x, 量子 and 计算, each with papers (keyword rules place them).
        let sections = [("hw.x", "memristor"), ("hw-x", "spiking"), ("量子", "vision"), ("计算", "")].map { label, keyword in
            "[[sections]]\nlabel = \"\(label)\"\nheading = \"Heading \(label)\"\nkeywords = [\(keyword.isEmpty ? "" : "\"\(keyword)\"")]\n"
        }
        let profile = "name = \"anchors\"\nfallback = \"计算\"\n[page]\ntitle = \"Anchors - Daily ArXiv\"\nintro = \"Awkward labels.\"\n"
            + "[query]\nsearch = \"all:x\"\n" + sections.joined()
        try scratch.write("profile.toml", "model = \"topics.model\"\n" + profile)
        let papers = ["memristor", "spiking", "vision", "plain"].enumerated().map { i, word in
            Paper(id: "2601.0000\(i + 1)", title: "A \(word) paper", abstract: "Abstract.", published: "2026-01-01", authors: ["A"])
        }
        let input = try HostilePapers.write(papers, to: scratch.url("papers.jsonl"))
        let result = try CLI.run(["digest", "--profile", scratch.path("profile.toml"), "--papers", input.path, "--classifier", "keywords",
                                  "--format", "html", "--run-time", Self.runTime, "--output", scratch.path("index.html")])
        try #require(result.status == 0, CLI.describe(result))
        let (dom, console) = try Self.load(scratch.url("index.html"), scratch: scratch)
        #expect(console.isEmpty, "\(console)")
        let ids = HostilePapers.between("<section id=\"", "\"", in: dom)
        let links = HostilePapers.between("<li><a href=\"#", "\"", in: dom)
        #expect(ids.count == 4, "\(ids)")
        #expect(Set(ids).count == ids.count, "duplicate section ids: \(ids)")
        #expect(links == ids, "contents links \(links), sections \(ids)")
    }

    @Test("the console check sees a page's console errors (so an empty console means something)")
    func consoleCheckWorks() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let page = try scratch.write("bad.html", "<!DOCTYPE html><title>x</title><script>console.error('boom'); missingFunction();</script>")
        let (_, console) = try Self.load(page, scratch: scratch)
        #expect(console.contains { $0.contains("boom") })
        #expect(console.contains { $0.contains("missingFunction") })
    }
}
