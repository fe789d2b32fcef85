import Foundation

/// What came back from one HTTP GET.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.body = body
    }

    /// A header value by case-insensitive name.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Why a GET produced no complete response. Those a server or network hiccup explains are worth retrying
/// (`isRetryable`); a refusal or a redirect loop would only repeat.
public enum TransportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No complete response within the per-request timeout (seconds).
    case timedOut(seconds: Double)
    /// Could not connect, or the connection broke (refused, reset, closed early); `detail` is the system's text.
    case connectionFailed(detail: String)
    /// The body ended before the `Content-Length` the server announced.
    case truncatedBody(expected: Int, received: Int)
    /// The body passed the transport's cap (bytes, counted as they arrived).
    case bodyTooLarge(limit: Int)
    /// The server compressed the body although the request asked for `identity`: `encoding` as the
    /// `header` (`Content-Encoding`, or `Transfer-Encoding` for a coding other than chunked) named it.
    case compressedBody(encoding: String, header: String = "Content-Encoding")
    /// A redirect to anything but http(s) (e.g. `file://`); `location` is where it pointed.
    case redirectRefused(location: String)
    /// A redirect to a port no TCP connection can use (0, or above 65535).
    case redirectToBadPort(location: String)
    /// More than `limit` redirects in a row: a loop, which another attempt would only repeat.
    case tooManyRedirects(limit: Int)
    /// `Content-Length` given more than once with different values: the body's end cannot be known.
    case conflictingLengths(values: [String])

    public var description: String {
        switch self {
        case .timedOut(let seconds): "no complete response within \(Self.format(seconds)) s"
        case .connectionFailed(let detail): "connection failed: \(detail)"
        case .truncatedBody(let expected, let received):
            "truncated body: Content-Length \(expected) but \(received) bytes arrived"
        case .bodyTooLarge(let limit) where limit < CurlTransport.defaultMaxBodyBytes:
            "response body over the limit of \(limit) bytes (\(limit >> 20) MiB; raise it with --max-response-mib); stopped reading"
        case .bodyTooLarge(let limit):
            "response body over the limit of \(limit) bytes (\(limit >> 20) MiB, the most a feed may hold); stopped reading"
        case .compressedBody(let encoding, let header):
            "a compressed body (\(header) \(encoding)) that was not asked for; refused before reading it (its inflated size is unknown)"
        case .redirectRefused(let location):
            "redirect to \(location) refused: only http and https are followed"
        case .redirectToBadPort(let location):
            "redirect to \(location) refused: its port is not between 1 and 65535"
        case .tooManyRedirects(let limit):
            "more than \(limit) redirects in a row (a redirect loop?)"
        case .conflictingLengths(let values):
            "the response announces different lengths (Content-Length \(values.joined(separator: ", "))); refused, as the body's end is unknown"
        }
    }

    /// Whether another attempt could succeed.
    public var isRetryable: Bool {
        switch self {
        case .bodyTooLarge, .redirectRefused, .redirectToBadPort, .compressedBody, .tooManyRedirects, .conflictingLengths: false
        default: true
        }
    }

    private static func format(_ seconds: Double) -> String { String(format: "%g", seconds) }
}

/// Performs one HTTP GET and blocks until it completes, fails, or `timeout` seconds pass.
/// `ArxivClient` uses `CurlTransport`; tests may substitute their own.
public protocol HTTPTransport: Sendable {
    /// Returns any complete response (whatever its status) or throws `TransportError`.
    func get(_ url: URL, headers: [String: String], timeout: TimeInterval) throws -> HTTPResponse
}
