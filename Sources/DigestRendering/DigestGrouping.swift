import ArxivFeed

/// Papers grouped into a layout's sections, shared by the HTML and Atom renderers: every label must
/// name a section and every paper must have an arXiv link and a visible title, checked before anything is
/// rendered.
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
            let link = try Self.checkedLink(for: paper, index: index)
            byLabel[label, default: []].append(Item(paper: paper, link: link, section: section))
        }
        sections = layout.sections.compactMap { section in byLabel[section.label].map { (section, $0) } }
    }

    var isEmpty: Bool { sections.isEmpty }

    /// The link every page prints for the paper at `index`, once it is known that the paper can be shown:
    /// its id is an arXiv id and its title has something visible to click.
    static func checkedLink(for paper: Paper, index: Int) throws -> String {
        let link = try ArxivLink.checkedURL(for: paper, index: index)
        guard PaperText.hasVisibleTitle(paper) else { throw DigestRenderError.invisibleTitle(paperIndex: index, paperID: paper.id) }
        return link
    }
}
