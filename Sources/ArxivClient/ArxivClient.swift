import SeededRandom
import ArxivFeed
import Foundation

/// Fetches papers from the arXiv API politely: paged, spaced, retried, deduplicated.
///
/// ```swift
/// let client = ArxivClient(log: { message in logger.info(message) })
/// let papers = try client.fetch(.newestSubmissions(matching: "all:memristor", maxResults: 30))
/// ```
///
/// Calls block the calling thread. One client runs one request at a time, so the minimum interval
/// holds even when several threads share it.
public final class ArxivClient: @unchecked Sendable {
    /// How the client talks to arXiv. The defaults follow arXiv's API terms (one request every 3 s).
    public struct Settings: Equatable, Sendable {
        /// The API URL the query parameters are appended to.
        public var endpoint: URL
        /// Most results asked for in one request (arXiv serves at most 2000 per page).
        public var pageSize: Int
        /// Least seconds between the starts of two consecutive requests, retries included.
        public var minimumRequestInterval: TimeInterval
        /// Seconds one request may take, from sending it to the last byte of the body.
        public var requestTimeout: TimeInterval
        public var retry: RetryPolicy
        /// Sent as `User-Agent`.
        public var userAgent: String

        public init(
            endpoint: URL = ArxivQuery.defaultEndpoint, pageSize: Int = 2000,
            minimumRequestInterval: TimeInterval = 3, requestTimeout: TimeInterval = 30,
            retry: RetryPolicy = RetryPolicy(), userAgent: String = "ArxivDigest/1.0"
        ) {
            self.endpoint = endpoint
            self.pageSize = max(1, pageSize)
            self.minimumRequestInterval = minimumRequestInterval
            self.requestTimeout = requestTimeout
            self.retry = retry
            self.userAgent = userAgent
        }
    }

    public let settings: Settings
    private let transport: HTTPTransport
    private let clock: ClientClock
    private let log: (@Sendable (String) -> Void)?
    private let lock = NSLock()
    private var lastRequestStart: TimeInterval?
    private var jitterSource: SplitMix64?

    /// - Parameters:
    ///   - transport: performs the GETs; `CurlTransport()` unless a test substitutes one.
    ///   - clock: spacing, `Retry-After` dates and sleeping; `SystemClock()` unless a test substitutes one.
    ///   - log: receives one line per request, retry and page; nil to stay silent.
    public init(
        settings: Settings = Settings(), transport: HTTPTransport = CurlTransport(),
        clock: ClientClock = SystemClock(), log: (@Sendable (String) -> Void)? = nil
    ) {
        self.settings = settings
        self.transport = transport
        self.clock = clock
        self.log = log
        if case .seeded(let seed, _) = settings.retry.jitter { jitterSource = SplitMix64(seed: seed) }
    }

    /// Fetches up to `count` papers (default `query.maxResults`) starting at `query.start`, in pages of at
    /// most `settings.pageSize`. Stops at `count` distinct papers, at the feed's `totalResults`, or at a page
    /// that adds no paper not seen before (a server repeating its page would otherwise be asked forever).
    /// Papers are deduplicated by base id, keeping the newest version, in arXiv's order.
    ///
    /// A paper that a page repeats from an earlier one (the list moved down when new papers were announced
    /// between two requests) does not count towards `count`: the next page asks for the papers still missing.
    /// A page that comes back empty while `totalResults` says papers remain is a known flake of arXiv's API,
    /// retried like a failed request: the first page's emptiness is then an error, a later page's ends the fetch
    /// with the papers so far and a warning in the log (arXiv has stayed empty at some offsets).
    /// - Throws: `ArxivClientError` naming the URL and attempts of the request that failed.
    public func fetch(_ query: ArxivQuery, count: Int? = nil) throws -> [Paper] {
        lock.lock(); defer { lock.unlock() }
        let wanted = count ?? query.maxResults
        var papers: [Paper] = []
        var seen = Set<String>()
        var start = query.start
        while seen.count < wanted {
            let pageQuery = query.page(start: start, maxResults: min(settings.pageSize, wanted - seen.count))
            let feed: AtomFeed
            do {
                feed = try performWithRetries(pageQuery.url(endpoint: settings.endpoint), pageStart: start)
            } catch let error as ArxivClientError where error.reason.isEmptyPage && !seen.isEmpty {
                // arXiv has been seen to stay empty at some offsets; what the earlier pages gave is kept, said.
                log?("warning: \(error.reason) after \(error.attempts) attempt(s); stopping with \(seen.count) of \(wanted) papers")
                break
            }
            papers += feed.papers
            start += feed.papers.count
            let new = feed.papers.filter { seen.insert($0.baseID).inserted }.count
            let total = feed.totalResults.map(String.init) ?? "?"
            log?("page start=\(pageQuery.start): \(feed.papers.count) papers, \(new) new (\(seen.count) of \(wanted); total \(total))")
            if feed.papers.isEmpty { break }
            if new == 0 {
                log?("page start=\(pageQuery.start) repeats papers already received; stopping")
                break
            }
            if let totalResults = feed.totalResults, start >= totalResults { break }
        }
        return Array(papers.deduplicatedByBaseID().prefix(wanted))
    }

    /// Performs exactly one request for `query` as given (its own `start` and `maxResults`), with retries.
    /// - Throws: `ArxivClientError`.
    public func fetchPage(_ query: ArxivQuery) throws -> AtomFeed {
        lock.lock(); defer { lock.unlock() }
        return try performWithRetries(query.url(endpoint: settings.endpoint), pageStart: query.start)
    }

    // MARK: - One request, retried

    /// `pageStart` is the request's `start`: a feed with no entries although its `totalResults` lies beyond it
    /// is retried (`ArxivClientError.Reason.emptyPage`).
    private func performWithRetries(_ url: URL, pageStart: Int) throws -> AtomFeed {
        let policy = settings.retry
        var attempt = 0
        while true {
            attempt += 1
            waitForRequestSlot()
            log?("GET \(url.maskingCredentials.absoluteString) (attempt \(attempt) of \(policy.maxAttempts))")
            let reason: ArxivClientError.Reason
            var retryAfter: TimeInterval?
            do {
                let response = try transport.get(
                    url, headers: ["User-Agent": settings.userAgent, "Accept": "application/atom+xml"],
                    timeout: settings.requestTimeout)
                switch Self.interpret(response, url: url) {
                case .success(let feed):
                    guard feed.papers.isEmpty, let total = feed.totalResults, pageStart < total else { return feed }
                    reason = .emptyPage(start: pageStart, totalResults: total)
                case .failure(let failure): reason = failure
                }
                retryAfter = response.header("Retry-After").flatMap {
                    RetryPolicy.retryAfterSeconds($0, now: clock.now)
                }
            } catch let error as TransportError {
                reason = .transport(error)
            }
            guard reason.isRetryable, attempt < policy.maxAttempts else {
                throw ArxivClientError(url: url, attempts: attempt, reason: reason)
            }
            let delay = retryAfter.map { min($0, policy.maxRetryAfter) } ?? jittered(policy.backoff(afterAttempt: attempt))
            log?("\(reason); retrying in \(String(format: "%.3g", delay)) s")
            clock.sleep(seconds: delay)
        }
    }

    /// Blocks until `minimumRequestInterval` has passed since the previous request started, then marks
    /// the start of a new one.
    private func waitForRequestSlot() {
        if let last = lastRequestStart {
            let wait = last + settings.minimumRequestInterval - clock.uptime
            if wait > 0 { clock.sleep(seconds: wait) }
        }
        lastRequestStart = clock.uptime
    }

    private func jittered(_ delay: TimeInterval) -> TimeInterval {
        guard case .seeded(_, let fraction) = settings.retry.jitter, var source = jitterSource else { return delay }
        let unit = Double(source.next() >> 11) / Double(1 << 53)
        jitterSource = source
        return delay * (1 + fraction * unit)
    }

    // MARK: - Reading a response

    private static func interpret(_ response: HTTPResponse, url: URL) -> Result<AtomFeed, ArxivClientError.Reason> {
        let source = url.maskingCredentials.absoluteString
        let body = response.body
        guard (200..<300).contains(response.status) else {
            // arXiv explains a 400 in an Atom error feed; anything else is reported by status.
            if case .failure(.arxivError(let message))? = body.isEmpty ? nil : parse(body, source: source) {
                return .failure(.arxivError(message: message))
            }
            return .failure(.httpStatus(response.status, bodyExcerpt: excerpt(body)))
        }
        if body.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            return .failure(.emptyBody(status: response.status))
        }
        if let detail = htmlDetail(response) { return .failure(.notAtomFeed(detail: detail)) }
        return parse(body, source: source)
    }

    private static func parse(_ body: Data, source: String) -> Result<AtomFeed, ArxivClientError.Reason> {
        do {
            return .success(try AtomFeed.parse(body, source: source))
        } catch AtomFeedError.arxivError(let message) {
            return .failure(.arxivError(message: message))
        } catch AtomFeedError.malformed(_, let detail) {
            return .failure(.malformedFeed(detail: detail))
        } catch AtomFeedError.cutShort(_, let detail) {
            return .failure(.cutShortFeed(detail: detail))
        } catch {
            return .failure(.malformedFeed(detail: String(describing: error)))
        }
    }

    /// Says why the body is an HTML page rather than a feed, or nil.
    private static func htmlDetail(_ response: HTTPResponse) -> String? {
        let contentType = response.header("Content-Type") ?? ""
        let start = String(decoding: response.body.prefix(512), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if start.hasPrefix("<!doctype html") || start.hasPrefix("<html") {
            return "an HTML page (Content-Type \(contentType.isEmpty ? "not given" : contentType)): \(excerpt(response.body))"
        }
        if contentType.lowercased().contains("text/html") {
            return "Content-Type \(contentType): \(excerpt(response.body))"
        }
        return nil
    }

    /// The first 200 characters of a body on one line, for messages.
    static func excerpt(_ body: Data) -> String {
        let text = String(decoding: body.prefix(600), as: UTF8.self)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
