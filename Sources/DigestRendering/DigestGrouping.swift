import ArxivFeed

/// Papers grouped into a layout's sections, shared by the HTML and Atom renderers: every label must
/// name a section and every paper must have an arXiv link, checked before anything is rendered.
struct DigestGrouping {
    /// A paper with its checked link and its section.
    struct Item {
        let paper: Paper
        let link: String
        let section: DigestLayout.Section
    }

    /// The sections that have papers, in page order, each with its papers in input order.
    let sections: [(section: DigestLayout.Section, items: [Item])]

    init(papers: [Paper], labels: [String], layout: DigestLayout) throws {
        guard papers.count == labels.count else {
            throw DigestRenderError.labelCountMismatch(papers: papers.count, labels: labels.count)
        }
        var byLabel: [String: [Item]] = [:]
        for (index, (paper, label)) in zip(papers, labels).enumerated() {
            guard let section = layout.sections.first(where: { $0.label == label }) else {
                throw DigestRenderError.unknownLabel(label, paperIndex: index, paperID: paper.id, sections: layout.labels)
            }
            let link = try ArxivLink.checkedURL(for: paper, index: index)
            byLabel[label, default: []].append(Item(paper: paper, link: link, section: section))
        }
        sections = layout.sections.compactMap { section in byLabel[section.label].map { (section, $0) } }
    }

    var isEmpty: Bool { sections.isEmpty }
}

/// Cleaning shared by the HTML and Atom pages: the same text the Markdown shows.
enum PaperText {
    /// The abstract as the digest prints it: line breaks as spaces, trimmed.
    static func abstract(_ paper: Paper) -> String {
        MarkdownEscaping.singleLine(DigestFormat.pythonStrip(DigestFormat.newlinesToSpaces(paper.abstract)))
    }

    /// All names, with " et al." when the list is known to be cut short.
    static func authors(_ paper: Paper) -> String {
        let names = (paper.authors ?? []).joined(separator: DigestFormat.authorSeparator)
        return paper.authorsTruncated == true ? names + DigestFormat.etAl : names
    }

    /// `YYYY-MM-DD` from the published stamp.
    static func date(_ paper: Paper) -> String { DigestFormat.pythonPrefix(paper.published, 10) }
}
