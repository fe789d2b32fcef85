/// One arXiv paper as every ArxivDigest command sees it: the record of the JSON Lines format
/// documented in `Datasets/README.md`, and what the Atom parser and `import-digest` produce.
///
/// The field names are those of `../shared/datasets` (snake_case on disk), so its files are
/// valid input. Only `id`, `title`, `abstract` and `published` are required.
public struct Paper: Codable, Equatable, Hashable, Sendable {
    /// arXiv identifier without version, e.g. `2602.01874` or `astro-ph/0601001`.
    public var id: String
    /// The Atom entry id, e.g. `http://arxiv.org/abs/2602.01874v1` (carries the version).
    public var url: String?
    public var title: String
    public var abstract: String
    /// `YYYY-MM-DD`, `YYYY-MM`, or the feed's full timestamp `YYYY-MM-DDTHH:MM:SSZ`.
    public var published: String
    public var updated: String?
    /// Author names in the order arXiv lists them.
    public var authors: [String]?
    /// Affiliations of each author, parallel to `authors` (empty list where none is given;
    /// the Atom parser leaves the whole field nil when no author has one).
    public var affiliations: [[String]]?
    /// True when `authors` is a prefix of a longer list (a digest shows at most three names).
    public var authorsTruncated: Bool?
    public var primaryCategory: String?
    /// arXiv categories, primary first.
    public var categories: [String]?
    public var pdfURL: String?
    /// The entry's `rel="alternate"` link (the abstract page), e.g. `https://arxiv.org/abs/2602.01874v1`.
    public var absURL: String?
    /// The entry's `title="doi"` link, e.g. `http://dx.doi.org/10.1142/S021797921244002X`.
    public var doiURL: String?
    public var doi: String?
    public var comment: String?
    public var journalRef: String?
    /// The topic (or, in the benchmark set, the arXiv category) this paper is labelled with.
    public var label: String?
    public var confidence: String?
    public var secondary: String?
    public var source: String?
    public var annotations: [String]?

    public init(
        id: String, url: String? = nil, title: String, abstract: String, published: String,
        updated: String? = nil, authors: [String]? = nil, affiliations: [[String]]? = nil,
        authorsTruncated: Bool? = nil, primaryCategory: String? = nil, categories: [String]? = nil,
        pdfURL: String? = nil, absURL: String? = nil, doiURL: String? = nil, doi: String? = nil, comment: String? = nil, journalRef: String? = nil,
        label: String? = nil, confidence: String? = nil, secondary: String? = nil,
        source: String? = nil, annotations: [String]? = nil
    ) {
        self.id = id
        self.url = url
        self.title = title
        self.abstract = abstract
        self.published = published
        self.updated = updated
        self.authors = authors
        self.affiliations = affiliations
        self.authorsTruncated = authorsTruncated
        self.primaryCategory = primaryCategory
        self.categories = categories
        self.pdfURL = pdfURL
        self.absURL = absURL
        self.doiURL = doiURL
        self.doi = doi
        self.comment = comment
        self.journalRef = journalRef
        self.label = label
        self.confidence = confidence
        self.secondary = secondary
        self.source = source
        self.annotations = annotations
    }

    enum CodingKeys: String, CodingKey {
        case id, url, title, abstract, published, updated, authors, affiliations
        case authorsTruncated = "authors_truncated"
        case primaryCategory = "primary_category"
        case categories
        case pdfURL = "pdf_url"
        case absURL = "abs_url"
        case doiURL = "doi_url"
        case doi, comment
        case journalRef = "journal_ref"
        case label, confidence, secondary, source, annotations
    }

    /// The text every classifier reads: title, a space, abstract.
    public var classifierText: String { title + " " + abstract }
}

extension Paper {
    /// `id` without a trailing version (`2202.12139v2` → `2202.12139`), the form `Paper.id` keeps; an id
    /// without one is returned as it is.
    public static func idWithoutVersion(_ id: String) -> String {
        String(TextCleaning.withoutVersion(Substring(id)))
    }
}
