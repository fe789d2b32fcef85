/// Turns a parsed arXiv Atom tree into an `AtomFeed` (plain Swift; libxml2 stays in `LibXML2Parser`).
///
/// Elements are matched by namespace URI and local name, never by prefix.
struct AtomFeedReader {
    static let atom = "http://www.w3.org/2005/Atom"
    static let arxiv = "http://arxiv.org/schemas/atom"
    static let opensearch = "http://a9.com/-/spec/opensearch/1.1/"

    /// Names the file or URL in errors.
    let source: String

    func feed(from root: XMLTreeElement) throws -> AtomFeed {
        guard root.localName == "feed", root.namespaceURI == Self.atom else {
            throw malformed("root element is \(root.qualifiedDescription), expected <feed> in namespace \(Self.atom)")
        }
        let entries = root.children(Self.atom, "entry")
        if let message = arxivErrorMessage(entries) { throw AtomFeedError.arxivError(message: message) }
        return AtomFeed(
            totalResults: try openSearchNumber(root, "totalResults"),
            startIndex: try openSearchNumber(root, "startIndex"),
            itemsPerPage: try openSearchNumber(root, "itemsPerPage"),
            papers: try entries.enumerated().map { try paper(from: $0.element, index: $0.offset + 1) }
        )
    }

    /// arXiv reports a bad query as a feed whose single entry is titled "Error" and whose id points
    /// into `/api/errors` (a real paper always has `<published>`); the summary is the message.
    private func arxivErrorMessage(_ entries: [XMLTreeElement]) -> String? {
        guard entries.count == 1, let entry = entries.first,
              let title = entry.firstChild(Self.atom, "title"),
              TextCleaning.collapsedWhitespace(title.text) == "Error" else { return nil }
        let id = entry.firstChild(Self.atom, "id")?.text ?? ""
        guard id.contains("/api/errors") || entry.firstChild(Self.atom, "published") == nil else { return nil }
        return TextCleaning.trimmed(entry.firstChild(Self.atom, "summary")?.text ?? "unknown error")
    }

    private func openSearchNumber(_ root: XMLTreeElement, _ name: String) throws -> Int? {
        guard let element = root.firstChild(Self.opensearch, name) else { return nil }
        let text = TextCleaning.trimmed(element.text)
        guard let value = Int(text) else {
            throw malformed("line \(element.line): opensearch:\(name) is not an integer: \"\(text)\"")
        }
        return value
    }

    private func paper(from entry: XMLTreeElement, index: Int) throws -> Paper {
        func required(_ name: String) throws -> XMLTreeElement {
            guard let element = entry.firstChild(Self.atom, name) else {
                throw malformed("entry \(index) (line \(entry.line)): missing required field <\(name)>")
            }
            return element
        }
        let url = TextCleaning.trimmed(try required("id").text)
        guard let id = TextCleaning.baseID(fromEntryURL: url) else {
            throw malformed("entry \(index) (line \(entry.line)): field <id> is not an arXiv abs URL: \"\(url)\"")
        }
        let title = TextCleaning.collapsedWhitespace(try required("title").text)
        // A digest links each paper by its title: an empty one would be an invisible link.
        guard !title.isEmpty else {
            throw malformed("entry \(index) (line \(entry.line)): field <title> is empty")
        }
        let abstract = TextCleaning.abstract(try required("summary").text)
        let published = TextCleaning.trimmed(try required("published").text)
        guard !published.isEmpty else {
            throw malformed("entry \(index) (line \(entry.line)): field <published> is empty")
        }

        var paper = Paper(id: id, url: url, title: title, abstract: abstract, published: published)
        paper.updated = optionalText(entry.firstChild(Self.atom, "updated"))
        readAuthors(entry, into: &paper)
        readCategories(entry, into: &paper)
        readLinks(entry, into: &paper)
        paper.comment = optionalText(entry.firstChild(Self.arxiv, "comment"))
        paper.journalRef = optionalText(entry.firstChild(Self.arxiv, "journal_ref"))
        paper.doi = optionalText(entry.firstChild(Self.arxiv, "doi"))
        return paper
    }

    /// Authors in feed order; `affiliations` is parallel to them, and nil when no author has one.
    private func readAuthors(_ entry: XMLTreeElement, into paper: inout Paper) {
        var names: [String] = [], affiliations: [[String]] = []
        for author in entry.children(Self.atom, "author") {
            names.append(TextCleaning.collapsedWhitespace(author.firstChild(Self.atom, "name")?.text ?? ""))
            affiliations.append(author.children(Self.arxiv, "affiliation").map { TextCleaning.collapsedWhitespace($0.text) })
        }
        paper.authors = names
        paper.affiliations = affiliations.contains { !$0.isEmpty } ? affiliations : nil
    }

    /// The primary category first, then the others in feed order, each once.
    private func readCategories(_ entry: XMLTreeElement, into paper: inout Paper) {
        let primary = entry.firstChild(Self.arxiv, "primary_category")?.attributes["term"].map(TextCleaning.trimmed)
        paper.primaryCategory = primary.flatMap { $0.isEmpty ? nil : $0 }
        var categories: [String] = paper.primaryCategory.map { [$0] } ?? []
        for category in entry.children(Self.atom, "category") {
            guard let term = category.attributes["term"].map(TextCleaning.trimmed), !term.isEmpty,
                  !categories.contains(term) else { continue }
            categories.append(term)
        }
        paper.categories = categories
    }

    private func readLinks(_ entry: XMLTreeElement, into paper: inout Paper) {
        for link in entry.children(Self.atom, "link") {
            guard let href = link.attributes["href"].map(TextCleaning.trimmed), !href.isEmpty else { continue }
            let title = link.attributes["title"], rel = link.attributes["rel"] ?? "alternate"
            if title == "pdf" || link.attributes["type"] == "application/pdf" {
                if paper.pdfURL == nil { paper.pdfURL = href }
            } else if title == "doi" {
                if paper.doiURL == nil { paper.doiURL = href }
            } else if rel == "alternate", paper.absURL == nil {
                paper.absURL = href
            }
        }
    }

    /// Trimmed text, or nil when the element is absent or blank.
    private func optionalText(_ element: XMLTreeElement?) -> String? {
        guard let element else { return nil }
        let text = TextCleaning.trimmed(element.text)
        return text.isEmpty ? nil : text
    }

    private func malformed(_ detail: String) -> AtomFeedError {
        .malformed(source: source, detail: detail)
    }
}
