import ArxivFeed
import Foundation

/// Reads a digest rendered by ``DigestRenderer`` (or the original script) back into papers.
///
/// Paper text is unescaped (``MarkdownEscaping``), so hostile titles read back as written.
/// The parse is strict so that rendering the result with its labels and run time gives the same
/// bytes back: sections must appear in the ``DigestLayout``'s order, once each, and every block must
/// have the exact shape the renderer writes. Kept per paper: `id` (from the link, version
/// removed), `url`, `title`, `published` (the printed date), `authors` (split on ", "; a trailing
/// " et al." after three names sets `authorsTruncated`), `abstract` and `label`.
/// Lines end at "\n" or "\r\n" (code points, not graphemes; a digest saved with Windows line ends
/// reads as the one the renderer wrote). Blank lines at the very end are not checked (an editor may
/// trim the last one or add more). The no-papers page is accepted with or without a final newline and
/// gives zero papers. A title with nothing visible is refused, as the renderer refuses it.
public enum DigestImporter {
    /// Imports the digest file at `url`, written with `layout`; errors name its path.
    public static func importDigest(contentsOf url: URL, layout: DigestLayout) throws -> ImportedDigest {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DigestImportError(file: url.path, line: 0, reason: "cannot read file: \(error.localizedDescription)")
        }
        return try parse(data: data, file: url.path, layout: layout)
    }

    /// Imports digest bytes, which must be UTF-8.
    public static func parse(data: Data, file: String = "<digest>", layout: DigestLayout) throws -> ImportedDigest {
        guard let text = String(data: data, encoding: .utf8) else {
            // The line to look at: the first that does not decode on its own (a line break is never inside a
            // UTF-8 sequence, so the lines can be checked one by one).
            let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            let line = lines.firstIndex { String(data: Data($0), encoding: .utf8) == nil }.map { $0 + 1 } ?? 0
            throw DigestImportError(file: file, line: line, reason: "not valid UTF-8")
        }
        return try parse(text, file: file, layout: layout)
    }

    /// Imports digest text.
    public static func parse(_ text: String, file: String = "<digest>", layout: DigestLayout) throws -> ImportedDigest {
        var reader = LineReader(text: text, file: file)
        let runTime = try readHeader(&reader, layout: layout)
        if let first = reader.peekScalars, first.equals(DigestFormat.noPapersLine) {
            reader.advance()
            try reader.expect(DigestFormat.checkBackLine, what: "the no-papers message")
            while let line = reader.peek {
                guard line.isEmpty else { throw reader.error("unexpected text after the no-papers message") }
                reader.advance()
            }
            return ImportedDigest(runTime: runTime, papers: [])
        }
        var papers: [Paper] = []
        var previous: Int?
        while let line = reader.peekScalars, !reader.onlyBlankLinesLeft {
            let position = try readSectionHeading(line, after: previous, layout: layout, reader: reader)
            let section = layout.sections[position]
            reader.advance()
            try reader.expect("", what: "a blank line after the section heading")
            var count = 0
            while let next = reader.peekScalars, next.hasPrefix("### [") {
                papers.append(try readPaper(&reader, section: section))
                count += 1
            }
            guard count > 0 else { throw reader.error("section \"\(section.heading)\" has no papers") }
            try reader.expect(DigestFormat.sectionEnd, what: "a paper (\"### [\") or the section end \"---\"")
            // The renderer ends the page with this blank line; an editor may have trimmed it.
            if reader.peek != nil { try reader.expect("", what: "a blank line after \"---\"") }
            previous = position
        }
        if papers.isEmpty { throw reader.error("no sections and no no-papers message") }
        return ImportedDigest(runTime: runTime, papers: papers)
    }

    private static func readHeader(_ reader: inout LineReader, layout: DigestLayout) throws -> String {
        try reader.expect(DigestFormat.titlePrefix + layout.title, what: "the digest title \"\(DigestFormat.titlePrefix + layout.title)\"")
        try reader.expect("", what: "a blank line")
        let prefix = DigestFormat.runLinePrefix, suffix = DigestFormat.runLineSuffix
        let prefixCount = prefix.unicodeScalars.count, suffixCount = suffix.unicodeScalars.count
        guard let runLine = reader.peekScalars, runLine.hasPrefix(prefix), runLine.hasSuffix(suffix),
              runLine.count > prefixCount + suffixCount
        else { throw reader.error("expected \"\(prefix)YYYY-MM-DD HH:MM\(suffix)\"") }
        let runTime = runLine.slice(prefixCount..<(runLine.count - suffixCount)).string
        reader.advance()
        try reader.expect("", what: "a blank line")
        try reader.expect(layout.intro, what: "the introduction line \"\(layout.intro)\"")
        try reader.expect("", what: "a blank line")
        return runTime
    }

    /// The position in `layout.sections` of the heading on `line`, which must come after `previous`.
    private static func readSectionHeading(
        _ line: ScalarText, after previous: Int?, layout: DigestLayout, reader: LineReader
    ) throws -> Int {
        guard line.hasPrefix("## ") else { throw reader.error("expected a section heading \"## …\"") }
        let heading = line.slice(3..<line.count)
        guard let position = layout.sections.firstIndex(where: { heading.equals($0.heading) }) else {
            let known = layout.sections.map { "\"\($0.heading)\"" }.joined(separator: ", ")
            throw reader.error("unknown section heading \"\(heading.string)\"; the layout's headings are \(known)")
        }
        if let previous, position <= previous {
            throw reader.error("section \"\(layout.sections[position].heading)\" is out of order or repeated")
        }
        return position
    }

    private static func readPaper(_ reader: inout LineReader, section: DigestLayout.Section) throws -> Paper {
        let titleLine = reader.lineNumber
        let (title, url) = try parseTitleLine(reader.peekScalars!, reader: reader)
        let id = try arxivID(fromLink: url, reader: reader)
        reader.advance()
        guard let meta = reader.peekScalars else {
            throw reader.error("expected \(metaLineShape), found end of file")
        }
        let (published, authorText) = try parseMetaLine(meta, reader: reader)
        reader.advance()
        try reader.expect("", what: "a blank line before the abstract")
        guard let quote = reader.peekScalars, quote.hasPrefix("> ") else {
            throw reader.error("expected the abstract line \"> …\"")
        }
        let abstract = MarkdownEscaping.unescape(quote.slice(2..<quote.count).string)
        reader.advance()
        try reader.expect("", what: "a blank line after the abstract")
        let (authors, truncated) = splitAuthors(authorText)
        let paper = Paper(
            id: id, url: url, title: title, abstract: abstract, published: published,
            authors: authors, authorsTruncated: truncated, label: section.label
        )
        guard PaperText.hasVisibleTitle(paper) else {
            throw DigestImportError(file: reader.file, line: titleLine,
                                    reason: "the title of \(id) has nothing visible (only white space, control or invisible characters); paper records need a title")
        }
        return paper
    }

    /// `### [<title>](<url>)`: the link is the text after the last "](", so titles may hold "](".
    private static func parseTitleLine(_ line: ScalarText, reader: LineReader) throws -> (String, String) {
        let open = "### [".unicodeScalars.count
        guard line.hasPrefix("### ["), line.hasSuffix(")"), let split = line.lastOffset(of: "]("), split >= open
        else { throw reader.error("expected \"### [title](link)\"") }
        let title = MarkdownEscaping.unescape(line.slice(open..<split).string)
        let url = line.slice((split + 2)..<(line.count - 1))
        guard !url.isEmpty, !url.scalars.contains(" ") else { throw reader.error("bad link \"\(url.string)\"") }
        return (title, url.string)
    }

    /// The arXiv id in an abstract link, without its version: `…/abs/2602.01874v1` → `2602.01874`.
    /// Only the links ``ArxivLink`` allows are accepted.
    private static func arxivID(fromLink url: String, reader: LineReader) throws -> String {
        guard let id = ArxivLink.id(inAbstractURL: url) else {
            throw reader.error("link \"\(url)\" is not an arXiv abstract URL (http(s)://arxiv.org/abs/<id>)")
        }
        return id
    }

    /// How errors describe a paper's second line.
    private static let metaLineShape = "\"**YYYY-MM-DD** | *authors*\""

    /// `**<date>** | *<authors>*`, or `**<date>**` for a paper without authors.
    private static func parseMetaLine(_ line: ScalarText, reader: LineReader) throws -> (String, String) {
        let separator = "**" + DigestFormat.authorsOpen
        guard line.hasPrefix("**"), line.hasSuffix("*") else { throw reader.error("expected \(metaLineShape)") }
        guard let middle = line.firstOffset(of: separator, from: 2) else {
            // The date alone: the renderer's line for a paper without author names (the date escapes
            // every `*`, so it cannot hold the separator).
            guard line.hasSuffix("**"), line.count > 4 else { throw reader.error("expected \(metaLineShape)") }
            return (MarkdownEscaping.unescape(line.slice(2..<(line.count - 2)).string), "")
        }
        guard middle + separator.unicodeScalars.count <= line.count - 1 else {
            throw reader.error("expected \(metaLineShape)")
        }
        let date = MarkdownEscaping.unescape(line.slice(2..<middle).string)
        let authors = line.slice((middle + separator.unicodeScalars.count)..<(line.count - 1))
        return (date, authors.string)
    }

    /// Names split on ", "; " et al." after exactly three names marks the list as truncated.
    private static func splitAuthors(_ text: String) -> ([String], Bool) {
        let line = ScalarText(text)
        if line.isEmpty { return ([], false) }
        if line.hasSuffix(DigestFormat.etAl) {
            let names = splitNames(line.slice(0..<(line.count - DigestFormat.etAl.unicodeScalars.count)))
            if names.count == DigestFormat.maxAuthorsShown { return (names, true) }
        }
        return (splitNames(line), false)
    }

    private static func splitNames(_ line: ScalarText) -> [String] {
        var names: [String] = []
        var start = 0
        var from = 0
        while let comma = line.firstOffset(of: DigestFormat.authorSeparator, from: from) {
            // A comma after an odd run of backslashes is escaped: part of a name ("Smith\, John").
            var backslashes = 0
            while comma - backslashes > start, line.scalars[comma - backslashes - 1] == "\\" { backslashes += 1 }
            from = comma + 1
            if backslashes % 2 == 1 { continue }
            names.append(MarkdownEscaping.unescape(line.slice(start..<comma).string))
            start = comma + 2
            from = start
        }
        names.append(MarkdownEscaping.unescape(line.slice(start..<line.count).string))
        return names
    }
}

/// The digest's lines ("\n"- or "\r\n"-terminated, split on code points) with a cursor and 1-based
/// numbers. A "\r" before a line end belongs to the line end: the renderer never ends a line with one.
struct LineReader {
    private let lines: [String]
    private(set) var index = 0
    let file: String

    init(text: String, file: String) {
        self.file = file
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        func endLine() {
            if current.last == "\r" { current.removeLast() }
            lines.append(String(current))
            current = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            if scalar == "\n" { endLine() } else { current.append(scalar) }
        }
        if !current.isEmpty { endLine() }
        self.lines = lines
    }

    var peek: String? { index < lines.count ? lines[index] : nil }
    var peekScalars: ScalarText? { peek.map(ScalarText.init) }
    var lineNumber: Int { index + 1 }
    /// True when every line from the cursor on is blank: empty, or spaces and tabs only (or none is left).
    var onlyBlankLinesLeft: Bool { lines[index...].allSatisfy { $0.allSatisfy { $0 == " " || $0 == "\t" } } }

    mutating func advance() { index += 1 }

    mutating func expect(_ expected: String, what: String) throws {
        guard let line = peek else { throw error("expected \(what), found end of file") }
        guard ScalarText(line).equals(expected) else { throw error("expected \(what)") }
        advance()
    }

    func error(_ reason: String) -> DigestImportError {
        DigestImportError(file: file, line: lineNumber, reason: reason)
    }
}
