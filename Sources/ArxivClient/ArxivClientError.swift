import Foundation

/// A request that produced no papers, with the URL and how many attempts were made.
public struct ArxivClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong on the last attempt.
    public enum Reason: Error, Equatable, Sendable, CustomStringConvertible {
        /// No complete response (timeout, connection refused or broken, truncated body).
        case transport(TransportError)
        /// An HTTP status that is not success; `bodyExcerpt` is the start of the body, for the log.
        case httpStatus(Int, bodyExcerpt: String)
        /// arXiv answered with its error feed; `message` is arXiv's text, e.g. "incorrect id format for abc".
        case arxivError(message: String)
        /// A success status with an empty body.
        case emptyBody(status: Int)
        /// A success status whose body is not an Atom feed (e.g. an HTML page from a proxy or maintenance).
        case notAtomFeed(detail: String)
        /// An XML body the Atom parser rejected; `detail` is the parser's explanation.
        case malformedFeed(detail: String)
        /// A body that ends inside the document (a connection closed early, with no `Content-Length` to tell).
        case cutShortFeed(detail: String)
        /// A feed with no entries at `start` although its `totalResults` says there are more: arXiv's API
        /// sometimes answers so, and asking again usually works.
        case emptyPage(start: Int, totalResults: Int)

        public var description: String {
            switch self {
            case .transport(let error): error.description
            case .httpStatus(let status, let excerpt):
                excerpt.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(excerpt)"
            case .arxivError(let message): "arXiv API error: \(message)"
            case .emptyBody(let status): "HTTP \(status) with an empty body (no feed)"
            case .notAtomFeed(let detail): "not an Atom feed: \(detail)"
            case .malformedFeed(let detail): "malformed Atom feed: \(detail)"
            case .cutShortFeed(let detail): "incomplete Atom feed: \(detail)"
            case .emptyPage(let start, let total):
                "no papers at start=\(start) although the feed reports \(total) results (arXiv's API sometimes answers so; try again later)"
            }
        }

        var isEmptyPage: Bool {
            if case .emptyPage = self { true } else { false }
        }

        /// Whether another attempt could succeed.
        public var isRetryable: Bool {
            switch self {
            case .transport(let error): error.isRetryable
            case .httpStatus(let status, _): RetryPolicy.retryableStatuses.contains(status)
            case .cutShortFeed, .emptyPage: true
            default: false
            }
        }
    }

    /// The request URL of the failing request.
    public let url: URL
    /// Attempts made for that request, the first included.
    public let attempts: Int
    public let reason: Reason

    public init(url: URL, attempts: Int, reason: Reason) {
        self.url = url
        self.attempts = attempts
        self.reason = reason
    }

    public var description: String {
        "arXiv request \(url.maskingCredentials.absoluteString) failed after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(reason)"
    }
}
