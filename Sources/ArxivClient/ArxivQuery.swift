import Foundation

/// One arXiv API query (the parameters of `/api/query`), turned into a request URL by `url(endpoint:)`.
///
/// ```swift
/// let query = ArxivQuery(searchQuery: "all:memristor", sortBy: .submittedDate, sortOrder: .descending,
///                        maxResults: 10)
/// query.url()   // https://export.arxiv.org/api/query?search_query=all%3Amemristor&sortBy=submittedDate&…
/// ```
public struct ArxivQuery: Equatable, Hashable, Sendable {
    /// `sortBy`: the order arXiv lists results in.
    public enum SortBy: String, Sendable, CaseIterable {
        case relevance, lastUpdatedDate, submittedDate
    }

    /// `sortOrder`.
    public enum SortOrder: String, Sendable, CaseIterable {
        case ascending, descending
    }

    /// The public arXiv API endpoint.
    public static let defaultEndpoint = URL(string: "https://export.arxiv.org/api/query")!

    /// The search a digest runs every day: the newest submissions matching `search` (a digest
    /// profile's `[query] search`), `maxResults` of them.
    public static func newestSubmissions(matching search: String, maxResults: Int) -> ArxivQuery {
        ArxivQuery(searchQuery: search, sortBy: .submittedDate, sortOrder: .descending, start: 0, maxResults: maxResults)
    }

    /// `search_query`, in arXiv's syntax (`all:word`, `au:name`, `"phrase"`, `AND`/`OR`/`ANDNOT`); nil to omit.
    public var searchQuery: String?
    /// `id_list`: arXiv ids (with or without version), joined by commas; empty to omit.
    public var idList: [String]
    public var sortBy: SortBy?
    public var sortOrder: SortOrder?
    /// `start`: offset of the first result (0-based).
    public var start: Int
    /// `max_results`: how many results this request asks for.
    public var maxResults: Int

    public init(
        searchQuery: String? = nil, idList: [String] = [], sortBy: SortBy? = nil, sortOrder: SortOrder? = nil,
        start: Int = 0, maxResults: Int = 10
    ) {
        self.searchQuery = searchQuery
        self.idList = idList
        self.sortBy = sortBy
        self.sortOrder = sortOrder
        self.start = start
        self.maxResults = maxResults
    }

    /// The query parameters in the order they are sent (empty `search_query`/`id_list` and unset sorts omitted).
    public var parameters: [(name: String, value: String)] {
        var items: [(String, String)] = []
        if let searchQuery, !searchQuery.isEmpty { items.append(("search_query", searchQuery)) }
        if !idList.isEmpty { items.append(("id_list", idList.joined(separator: ","))) }
        if let sortBy { items.append(("sortBy", sortBy.rawValue)) }
        if let sortOrder { items.append(("sortOrder", sortOrder.rawValue)) }
        items.append(("start", String(start)))
        items.append(("max_results", String(maxResults)))
        return items
    }

    /// The request URL on `endpoint`. Values are percent-encoded so that only RFC 3986 unreserved characters
    /// stay literal: a space becomes `%20`, `"` `%22`, `:` `%3A`, `,` `%2C` and a literal `+` `%2B`.
    public func url(endpoint: URL = ArxivQuery.defaultEndpoint) -> URL {
        let query = parameters.map { "\($0.name)=\(Self.percentEncode($0.value))" }.joined(separator: "&")
        let base = endpoint.absoluteString
        let separator = base.contains("?") ? "&" : "?"
        // The pieces are ASCII and fully encoded, so this cannot fail.
        return URL(string: base + separator + query)!
    }

    /// The same query moved to another page.
    public func page(start: Int, maxResults: Int) -> ArxivQuery {
        var copy = self
        copy.start = start
        copy.maxResults = maxResults
        return copy
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func percentEncode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }
}
