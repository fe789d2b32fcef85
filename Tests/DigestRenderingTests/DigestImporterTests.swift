import ArxivFeed
import DigestRendering
import Foundation
import Testing
import TestSupport

@Suite("DigestImporter")
struct DigestImporterTests {
    static let runTime = "2026-01-02 03:04"

    @Test("awkward titles, abstracts and authors survive a round trip")
    func awkwardText() throws {
        let papers = [
            Paper(id: "2601.00001", url: "http://arxiv.org/abs/2601.00001v2",
                  title: "A [bracketed](title) with *stars* | pipes and ](", abstract: "> quoted **bold** `code`",
                  published: "2026-01-01", authors: ["Zoë Ünïcode", "B, Jr"], authorsTruncated: false,
                  label: "algorithms"),
            Paper(id: "hep-th/0101001", url: "http://arxiv.org/abs/hep-th/0101001v1",
                  title: "\u{301}Combining mark first", abstract: "", published: "2001-01-01",
                  authors: ["A", "B", "C"], authorsTruncated: true, label: "general"),
        ]
        let page = try DigestRenderer.render(papers: papers, runTime: Self.runTime, layout: .shipped)
        let back = try DigestImporter.parse(page, layout: .shipped)
        #expect(back.papers[0].title == papers[0].title)
        #expect(back.papers[0].abstract == papers[0].abstract)
        #expect(back.papers[1].id == "hep-th/0101001")
        #expect(back.papers[1].title.unicodeScalars.first == "\u{301}")
        #expect(back.papers[1].authorsTruncated == true)
        #expect(try DigestRenderer.render(papers: back.papers, runTime: back.runTime, layout: .shipped) == page)
    }

    @Test("a comma and a space inside a name, and a last name ending in \" et al.\", come back as the same names",
          arguments: [["Smith, John", "Doe, Jane"], ["X et al."], ["A", "B", "C et al."], [#"A\, B"#, #"C\"#, "D"], ["Ends,", "B"], ["a,b", "c"]])
    func separatorsInNames(authors: [String]) throws {
        let paper = Paper(id: "2601.00001", url: nil, title: "T", abstract: "A", published: "2026-01-01", authors: authors,
                          authorsTruncated: false, label: "algorithms")
        let page = try DigestRenderer.render(papers: [paper], runTime: Self.runTime, layout: .shipped)
        let back = try DigestImporter.parse(page, layout: .shipped)
        #expect(back.papers[0].authors == authors, "\(page)")
        #expect(back.papers[0].authorsTruncated != true, "\(page)")
        #expect(try DigestRenderer.render(papers: back.papers, runTime: back.runTime, layout: .shipped) == page)
        // Names without a comma and a space print as before, byte for byte.
        if authors == ["a,b", "c"] { #expect(page.contains("| *a,b, c*\n"), "\(page)") }
    }

    static let validPage = """
    # 🧠 Open Neuromorphic - Daily ArXiv

    **Automated Daily Update** | Last Run: 2026-01-02 03:04 UTC

    Papers are automatically categorized by topic and sorted by date.

    ## 🧠 Algorithms & Theory

    ### [Title](http://arxiv.org/abs/2601.00001v1)
    **2026-01-01** | *A, B*

    > Abstract.

    ---


    """

    @Test("a digest with Windows line ends (CRLF) imports as the one the renderer wrote", arguments: ["digest-2026-02-03.md", "digest-2026-02-11.md"])
    func crlfLineEnds(seed: String) throws {
        let lf = try String(decoding: SharedData.data("seeds/\(seed)"), as: UTF8.self)
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(crlf.utf8.count > lf.utf8.count)
        let fromLF = try DigestImporter.parse(lf, file: seed, layout: .shipped)
        let fromCRLF = try DigestImporter.parse(data: Data(crlf.utf8), file: seed, layout: .shipped)
        #expect(fromCRLF == fromLF)
        #expect(try DigestRenderer.render(papers: fromCRLF.papers, runTime: fromCRLF.runTime, layout: .shipped) == lf)
        // The no-papers page, whose last line has no line end.
        let empty = try DigestRenderer.render(papers: [], labels: [], runTime: Self.runTime, layout: .shipped)
        #expect(try DigestImporter.parse(empty.replacingOccurrences(of: "\n", with: "\r\n") + "\r", layout: .shipped).papers.isEmpty)
    }

    @Test("the valid page parses")
    func validPageParses() throws {
        let digest = try DigestImporter.parse(Self.validPage, file: "x.md", layout: .shipped)
        #expect(digest.papers.map(\.id) == ["2601.00001"])
        #expect(digest.papers[0].authors == ["A", "B"])
        // An editor may trim the last blank line (or the last line end), or add blank lines at the end.
        let page = Self.validPage
        let endings: [String] = [String(page.dropLast(1)), String(page.dropLast(2)), page + "\n\n", page + "\r\n", page + "   \n\t\n",
                                 String(page.dropLast(1)).replacingOccurrences(of: "\n", with: "\r\n")]
        for ending in endings {
            #expect(try DigestImporter.parse(ending, file: "x.md", layout: .shipped).papers == digest.papers, "\(String(ending.suffix(8)).debugDescription)")
        }
    }

    /// Each malformed page, with the file:line the error must name.
    static let malformed: [(String, String, Int)] = [
        ("wrong title", validPage.replacingOccurrences(of: "# 🧠 Open", with: "# Open"), 1),
        ("no run line", validPage.replacingOccurrences(of: "Last Run: ", with: "Run: "), 3),
        ("unknown section", validPage.replacingOccurrences(of: "## 🧠 Algorithms", with: "## Algorithms"), 7),
        ("broken link", validPage.replacingOccurrences(of: "v1)", with: "v1"), 9),
        ("not an abs link", validPage.replacingOccurrences(of: "/abs/", with: "/pdf/"), 9),
        ("bad meta line", validPage.replacingOccurrences(of: "| *A, B*", with: "A, B"), 10),
        ("abstract not quoted", validPage.replacingOccurrences(of: "> Abstract.", with: "Abstract."), 12),
        ("no section end", validPage.replacingOccurrences(of: "---", with: "--"), 14),
        ("truncated file", String(validPage[..<validPage.range(of: "---")!.lowerBound]), 14),
        ("repeated section", validPage + "## 🛠 Hardware & Materials\n", 16),
        ("text after the blank lines at the end", validPage + "\n\nstray\n", 16),
        ("empty title", validPage.replacingOccurrences(of: "[Title]", with: "[]"), 9),
        ("invisible title", validPage.replacingOccurrences(of: "[Title]", with: "[\u{200B}\u{202E}]"), 9),
    ]

    @Test("malformed input fails with file and line", arguments: malformed)
    func malformedInput(name: String, text: String, line: Int) {
        do {
            _ = try DigestImporter.parse(text, file: "bad.md", layout: .shipped)
            Issue.record("\(name): parsed without error")
        } catch let error as DigestImportError {
            #expect(error.file == "bad.md", "\(name)")
            #expect(error.line == line, "\(name): \(error)")
            #expect(error.description.hasPrefix("bad.md:\(line): "), "\(name)")
        } catch {
            Issue.record("\(name): unexpected error \(error)")
        }
    }

    @Test("a missing file is an import error naming it")
    func missingFile() {
        #expect(throws: DigestImportError.self) {
            try DigestImporter.importDigest(contentsOf: URL(fileURLWithPath: "/nonexistent/digest.md"), layout: .shipped)
        }
    }

    @Test("invalid UTF-8 is named with its line, as the JSON Lines readers do")
    func invalidUTF8Line() throws {
        var bytes = Array("# Title\n\nSome text\n".utf8)
        bytes += [0x41, 0xFF, 0x42, 0x0A] + Array("more\n".utf8)
        #expect(throws: DigestImportError(file: "x.md", line: 4, reason: "not valid UTF-8")) {
            try DigestImporter.parse(data: Data(bytes), file: "x.md", layout: .shipped)
        }
    }
}
