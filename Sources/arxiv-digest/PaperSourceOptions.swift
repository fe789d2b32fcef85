import ArgumentParser
import ArxivClient
import ArxivFeed
import Foundation

/// Where a command's papers come from: a saved Atom response, a JSON Lines file, or the arXiv API.
struct PaperSourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A saved arXiv API response (Atom XML) to read instead of querying arXiv; repeat to read several, in order (papers deduplicated by id).", valueName: "file.xml"))
    var feed: [String] = []

    @Option(help: ArgumentHelp("A JSON Lines file of papers (format: Datasets/README.md) to read instead of querying arXiv; repeat to read several, in order (papers deduplicated by id).", valueName: "file.jsonl"))
    var papers: [String] = []

    @Option(help: "The arXiv search query, in arXiv API syntax (default: the profile's [query] search).")
    var query: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("How many of the newest matching papers to fetch, \(OptionRanges.text(OptionRanges.maxResults)) (arXiv's own limit per query; default: the profile's [query] max_results)."))
    var maxResults: Int?

    @Option(help: "The arXiv API endpoint (for a mirror or a test server): http or https, no #fragment.")
    var endpoint: String = ArxivQuery.defaultEndpoint.absoluteString

    @Option(parsing: .unconditional, help: ArgumentHelp("Least seconds between two requests to the API, \(OptionRanges.text(OptionRanges.requestInterval)) (arXiv asks for 3)."))
    var requestInterval: Double = 3

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds one request may take before it is retried, \(OptionRanges.text(OptionRanges.timeout))."))
    var timeout: Double = 30

    @Option(parsing: .unconditional, help: ArgumentHelp("Attempts per request, the first included, before giving up, \(OptionRanges.text(OptionRanges.attempts))."))
    var attempts: Int = 4

    @Option(parsing: .unconditional, help: ArgumentHelp("Most MiB one response body may hold (counted as it arrives; a compressed body is refused), \(OptionRanges.text(OptionRanges.maxResponseMiB))."))
    var maxResponseMib: Int = CurlTransport.defaultMaxBodyBytes >> 20

    func validate() throws {
        if !feed.isEmpty && !papers.isEmpty {
            throw ValidationError("Give either --feed or --papers, not both.")
        }
        try InputFile.refuseEmpty(feed, option: "--feed")
        try InputFile.refuseEmpty(papers, option: "--papers")
        if let maxResults { try OptionRanges.check(maxResults, "--max-results", in: OptionRanges.maxResults) }
        // They choose what to ask arXiv for: beside a saved input, which is read whole, they would do nothing.
        if !usesAPI {
            let given = [query == nil ? nil : "--query", maxResults == nil ? nil : "--max-results"].compactMap { $0 }
            if let option = given.first {
                throw ValidationError("\(option) chooses what to fetch from arXiv; with --\(feed.isEmpty ? "papers" : "feed") every paper of the input is read. Leave \(option) out.")
            }
        }
        if let query, query.allSatisfy({ $0.isWhitespace }) {
            throw ValidationError("--query must not be empty: give an arXiv search such as all:memristor.")
        }
        // Only HTTP(S): file:// or other schemes are never fetched (the transport allows http and https only). A #fragment is
        // never sent, and the query parameters appended after it would be lost with it.
        let shown = URL(string: endpoint)?.maskingCredentials.absoluteString ?? "an unreadable URL"
        guard let url = URL(string: endpoint), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
              url.host?.isEmpty == false else {
            throw ValidationError("--endpoint must be an absolute http(s) URL, e.g. \(ArxivQuery.defaultEndpoint); got \(shown).")
        }
        guard url.fragment == nil, !endpoint.contains("#") else {
            throw ValidationError("--endpoint must not have a #fragment (the query would be lost after it); got \(shown).")
        }
        if CurlTransport.hasUnusablePort(url) {
            throw ValidationError("--endpoint's port must be between 1 and 65535; got \(shown).")
        }
        // Finite and bounded: an infinite or huge interval or timeout would hang the run instead of failing it.
        try OptionRanges.check(requestInterval, "--request-interval", in: OptionRanges.requestInterval)
        try OptionRanges.check(timeout, "--timeout", in: OptionRanges.timeout)
        try OptionRanges.check(attempts, "--attempts", in: OptionRanges.attempts)
        try OptionRanges.check(maxResponseMib, "--max-response-mib", in: OptionRanges.maxResponseMiB)
    }

    /// The input files, for `OutputGuard`.
    var inputs: [OutputGuard.Input] { .named("--feed", feed) + .named("--papers", papers) }

    /// True when papers come from the network rather than a file.
    var usesAPI: Bool { feed.isEmpty && papers.isEmpty }

    /// What an empty result means, for the refusal `digest` and `fetch` give: "no papers matched the query"
    /// or "no papers in the input".
    var noPapersFound: String { "no papers" + (usesAPI ? " matched the query" : " in the input") }

    /// Reads or fetches every paper. Progress of network fetches goes to `log`.
    /// - Parameters:
    ///   - profileQuery: the profile's search and result count, used where --query and
    ///     --max-results are not given (only read when papers come from the API).
    ///   - check: sees every record as read, before deduplication, with where it came from (`file:line` for
    ///     JSON Lines, `file: entry N` for a feed, `the arXiv API's answer`), and may throw to refuse it.
    func loadPapers(profileQuery: () throws -> (search: String, maxResults: Int), log: @escaping @Sendable (String) -> Void,
                    check: (Paper, _ place: String) throws -> Void = { _, _ in }) throws -> [Paper] {
        if !usesAPI { return try readPaperFiles(feeds: feed, papers: papers, check: check) }
        var retry = RetryPolicy()
        retry.maxAttempts = attempts
        let settings = ArxivClient.Settings(
            endpoint: URL(string: endpoint)!, minimumRequestInterval: requestInterval,
            requestTimeout: timeout, retry: retry)
        let client = ArxivClient(settings: settings, transport: CurlTransport(maxBodyBytes: maxResponseMib << 20), log: log)
        let defaults = (query == nil || maxResults == nil) ? try profileQuery() : (search: "", maxResults: 0)
        let count = maxResults ?? defaults.maxResults
        guard OptionRanges.maxResults.contains(count) else {
            throw CLIError("max_results \(count) (from the profile) must be between 1 and \(OptionRanges.maxResults.upperBound)")
        }
        let fetched = try client.fetch(.newestSubmissions(matching: query ?? defaults.search, maxResults: count))
        for paper in fetched { try check(paper, "the arXiv API's answer") }
        return fetched
    }
}

/// The papers of saved feeds and paper-record files, every file in order, one per paper: a paper in several
/// keeps its newest version at its first place. `check` sees every record as read, before deduplication,
/// with where it came from (`file: entry N` for a feed, `file:line` for JSON Lines), and may throw to refuse it.
func readPaperFiles(feeds: [String], papers: [String], check: (Paper, _ place: String) throws -> Void = { _, _ in }) throws -> [Paper] {
    let fromFeeds = try feeds.flatMap { path in
        let read = try AtomFeed.parse(try readFile(URL(fileURLWithPath: path), limit: .atomFeed), source: path).papers
        for (index, paper) in read.enumerated() { try check(paper, "\(path): entry \(index + 1)") }
        return read
    }
    let fromRecords = try papers.flatMap { path in
        try InputFile.check(path)
        let reader = try PaperJSONLReader(contentsOf: URL(fileURLWithPath: path), options: .keepingEveryRecord)
        var read: [Paper] = []
        while let paper = try reader.next() {
            try check(paper, "\(path):\(reader.lineNumber)")
            read.append(paper)
        }
        return read
    }
    return (fromFeeds + fromRecords).deduplicatedByBaseID()
}
