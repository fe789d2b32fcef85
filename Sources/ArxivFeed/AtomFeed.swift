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
    /// As `malformed`, where the document stops with elements still open: a download cut short, which a
    /// client may ask for again.
    case cutShort(source: String, detail: String)
}

extension AtomFeedError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .arxivError(let message): return "arXiv API error: \(message)"
        case .malformed(let source, let detail), .cutShort(let source, let detail): return "\(source): \(detail)"
        }
    }
}

extension AtomFeed {
    /// Parses an arXiv API response. `source` names the file or URL in error messages.
    ///
    /// Throws `AtomFeedError.arxivError` for arXiv's error feed, `.cutShort` for a document that stops with
    /// elements still open, and `.malformed` for anything else that is not a complete arXiv Atom feed (the
    /// detail names the line or entry and field).
    public static func parse(_ data: Data, source: String) throws -> AtomFeed {
        try parse(data, source: source, limits: AtomFeedLimits())
    }

    /// As `parse(_:source:)`, with explicit input limits.
    public static func parse(_ data: Data, source: String, limits: AtomFeedLimits) throws -> AtomFeed {
        guard data.count <= limits.maxBytes else {
            throw AtomFeedError.malformed(
                source: source, detail: "document is \(data.count) bytes, over the limit of \(limits.maxBytes)")
        }
        guard !data.isEmpty else { throw AtomFeedError.malformed(source: source, detail: "empty document") }
        // What libxml2 would only call "Document is empty" or "Extra content at the end of the document".
        if let kind = unreadableKind(data) { throw AtomFeedError.malformed(source: source, detail: kind) }
        let root: XMLTreeElement
        do {
            root = try LibXML2Parser.parse(
                data, maxDepth: limits.maxDepth, maxNodes: limits.maxNodes, maxTextBytes: limits.maxTextBytes,
                maxAttributes: limits.maxAttributes)
        } catch let failure as LibXML2Parser.Failure {
            throw failure.endsEarly
                ? AtomFeedError.cutShort(source: source, detail: failure.detail)
                : AtomFeedError.malformed(source: source, detail: failure.detail)
        }
        return try AtomFeedReader(source: source).feed(from: root)
    }
}

/// A clearer reason for input libxml2 cannot even start on: UTF-16 (what Windows PowerShell's `>`
/// writes), gzip data (a compressed body served without `Content-Encoding`), or only white space.
private func unreadableKind(_ data: Data) -> String? {
    let first = Array(data.prefix(2))
    if first == [0xFF, 0xFE] || first == [0xFE, 0xFF] || (first.count == 2 && first.contains(0) && first.contains(UInt8(ascii: "<"))) {
        return "the document is UTF-16 text; an Atom feed here must be UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8)"
    }
    if first == [0x1F, 0x8B] { return "the document is gzip-compressed data, not XML; decompress it first" }
    if data.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) { return "the document holds only white space" }
    return nil
}

/// Bounds on what `AtomFeed.parse` accepts, so a hostile response costs bounded time and memory.
public struct AtomFeedLimits: Equatable, Sendable {
    /// Largest document accepted, in bytes (default 64 MiB; a 2,000-entry arXiv page is about 5 MB).
    public var maxBytes: Int
    /// Deepest element nesting accepted (default 32; an arXiv feed nests 3 levels). libxml2 also
    /// stops at 256 on its own.
    public var maxDepth: Int
    /// Most nodes accepted: elements, attributes (namespace declarations included), comments and
    /// processing instructions (default 1,000,000; an arXiv entry has about 30). Bounds the tree's
    /// memory, which is otherwise about 40 times the size of a document made of empty elements.
    public var maxNodes: Int
    /// Longest text directly inside one element (all of it, however child elements split it) and
    /// longest attribute value, in bytes (default 1 MiB; an abstract is at most a few KB).
    public var maxTextBytes: Int
    /// Most attributes on one element, namespace declarations included (default 64; an arXiv feed's
    /// have at most 6). libxml2 checks each against all the others, so this bounds that quadratic cost.
    public var maxAttributes: Int

    public init(
        maxBytes: Int = 64 << 20, maxDepth: Int = 32, maxNodes: Int = 1_000_000, maxTextBytes: Int = 1 << 20,
        maxAttributes: Int = 64
    ) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
        self.maxTextBytes = maxTextBytes
        self.maxAttributes = maxAttributes
    }
}
