import Foundation

/// One arXiv API response: the papers it lists and its OpenSearch paging numbers.
/// (Interface agreed between the parser and the client; the parser fills it in.)
public struct AtomFeed: Equatable, Sendable {
    /// `opensearch:totalResults`: how many papers match the query in all.
    public var totalResults: Int?
    /// `opensearch:startIndex`: the offset of this page's first paper.
    public var startIndex: Int?
    /// `opensearch:itemsPerPage`: the page size asked for.
    public var itemsPerPage: Int?
    /// One record per `<entry>`, in feed order.
    public var papers: [Paper]

    public init(totalResults: Int? = nil, startIndex: Int? = nil, itemsPerPage: Int? = nil, papers: [Paper]) {
        self.totalResults = totalResults
        self.startIndex = startIndex
        self.itemsPerPage = itemsPerPage
        self.papers = papers
    }
}

/// Why a response could not be read as an arXiv feed.
public enum AtomFeedError: Error, Equatable, Sendable {
    /// arXiv answered with its error feed (an entry titled "Error"); `message` is arXiv's text.
    case arxivError(message: String)
    /// Not a well-formed arXiv Atom document; `source` names the file or URL, `detail` says where and why.
    case malformed(source: String, detail: String)
}

extension AtomFeed {
    /// Parses an arXiv API response. `source` names the file or URL in error messages.
    public static func parse(_ data: Data, source: String) throws -> AtomFeed {
        throw AtomFeedError.malformed(source: source, detail: "the Atom parser has not landed yet")
    }
}
