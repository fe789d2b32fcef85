import ArxivFeed
import Foundation

/// Renders papers and their topic labels into the digest Markdown of the original Open
/// Neuromorphic script, byte for byte (see `../shared/seeds/README.md`), with the title, intro
/// and headings of a ``DigestLayout``.
///
/// Page: a three-line header, then for each section in layout order that has papers:
/// `## <heading>`, one block per paper in input order, and `---`. With no papers the header is
/// followed by `### 😴 No new papers found today.⏎Check back tomorrow!` with no final newline,
/// as the original README gives it.
public enum DigestRenderer {
    /// Renders `papers` with `labels[i]` as the topic of `papers[i]`.
    /// - Parameter runTime: the "Last Run" stamp, `YYYY-MM-DD HH:MM` in UTC (see ``runTime(for:)``).
    /// - Throws: ``DigestRenderError`` for a label that is no section of `layout`, an id that is no
    ///   arXiv identifier, a title with nothing visible, or mismatched counts.
    public static func render(papers: [Paper], labels: [String], runTime: String, layout: DigestLayout) throws -> String {
        guard papers.count == labels.count else {
            throw DigestRenderError.labelCountMismatch(papers: papers.count, labels: labels.count)
        }
        var bySection: [String: [Paper]] = [:]
        for (index, (paper, label)) in zip(papers, labels).enumerated() {
            guard layout.section(label: label) != nil else {
                throw DigestRenderError.unknownLabel(label, paperIndex: index, paperID: paper.id, sections: layout.labels)
            }
            _ = try DigestGrouping.checkedLink(for: paper, index: index)
            bySection[label, default: []].append(paper)
        }
        var page = DigestFormat.header(runTime: runTime, layout: layout)
        if papers.isEmpty {
            page += DigestFormat.noPapersLine + "\n" + DigestFormat.checkBackLine
            return page
        }
        for section in layout.sections {
            guard let sectionPapers = bySection[section.label] else { continue }
            page += "## " + section.heading + "\n\n"
            for paper in sectionPapers { page += block(for: paper) }
            page += DigestFormat.sectionEnd + "\n\n"
        }
        return page
    }

    /// Renders `papers` using each paper's own `label`.
    /// - Throws: ``DigestRenderError/missingLabel(paperIndex:paperID:)`` for a paper without one.
    public static func render(papers: [Paper], runTime: String, layout: DigestLayout) throws -> String {
        var labels: [String] = []
        for (index, paper) in papers.enumerated() {
            guard let label = paper.label else {
                throw DigestRenderError.missingLabel(paperIndex: index, paperID: paper.id, sections: layout.labels)
            }
            labels.append(label)
        }
        return try render(papers: papers, labels: labels, runTime: runTime, layout: layout)
    }

    /// The "Last Run" stamp for `date`: `YYYY-MM-DD HH:MM` in UTC.
    public static func runTime(for date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    /// The author text: all names when at most three, else the first three and " et al.";
    /// " et al." also when the list is marked truncated (an imported digest kept only three).
    public static func authorLine(_ authors: [String], truncated: Bool) -> String {
        authorLine(authors, truncated: truncated, escaped: false)
    }

    /// The author text, Markdown-escaped as one field when `escaped` (names can pair delimiters);
    /// empty without names (no " et al." of nothing).
    static func authorLine(_ authors: [String], truncated: Bool, escaped: Bool) -> String {
        if authors.isEmpty { return "" }
        let names = Array(authors.prefix(DigestFormat.maxAuthorsShown))
        var shown = names.joined(separator: DigestFormat.authorSeparator)
        let cut = truncated || authors.count > DigestFormat.maxAuthorsShown
        if escaped { shown = MarkdownEscaping.escape(shown, in: .metaLine, literal: separatorLookalikes(names, cut: cut)) }
        return cut ? shown + DigestFormat.etAl : shown
    }

    /// Offsets in the joined names of what `import-digest` would misread, to be escaped (GitHub shows `\,` as
    /// `,`): a comma followed by a space inside a name (the separator: "Smith, John" would come back as two
    /// names), and the final `.` of a last name ending in " et al." on an uncut list (the truncation mark).
    private static func separatorLookalikes(_ names: [String], cut: Bool) -> Set<Int> {
        var offsets: Set<Int> = []
        var start = 0
        for (index, name) in names.enumerated() {
            let scalars = Array(name.unicodeScalars)
            for i in scalars.indices.dropLast() where scalars[i] == "," && scalars[i + 1] == " " { offsets.insert(start + i) }
            if index == names.count - 1, !cut, name.hasSuffix(DigestFormat.etAl) { offsets.insert(start + scalars.count - 1) }
            start += scalars.count + DigestFormat.authorSeparator.unicodeScalars.count
        }
        return offsets
    }

    /// One paper's block. Paper text is cleaned by ``PaperText`` (as on the HTML and Atom pages) and
    /// goes through ``MarkdownEscaping`` (it can add no structure); the link through ``ArxivLink``
    /// (checked by `render` before any block is written). A paper without author names gets the date
    /// alone, `**YYYY-MM-DD**`: an empty `*…*` would show as two stray asterisks. (Not for an empty
    /// date too: `****` alone on a line is a thematic break, so that line keeps its ` | **`.)
    private static func block(for paper: Paper) -> String {
        let date = MarkdownEscaping.escape(MarkdownEscaping.singleLine(PaperText.date(paper)), in: .metaLine)
        let authors = authorLine(PaperText.authorNames(paper), truncated: paper.authorsTruncated ?? false, escaped: true)
        let title = MarkdownEscaping.escape(PaperText.title(paper), in: .title)
        let link = ArxivLink.abstractURL(for: paper)!
        let abstract = MarkdownEscaping.escape(PaperText.abstract(paper), in: .abstract)
        let byline: String = authors.isEmpty && !date.isEmpty ? "" : DigestFormat.authorsOpen + authors + "*"
        return "### [\(title)](\(link))\n" + "**\(date)**\(byline)\n\n" + "> \(abstract)\n\n"
    }
}
