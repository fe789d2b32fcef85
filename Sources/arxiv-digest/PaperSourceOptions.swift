import ArgumentParser
import ArxivClient
import ArxivFeed
import Foundation

/// Where a command's papers come from: a saved Atom response, a JSON Lines file, or the arXiv API.
struct PaperSourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A saved arXiv API response (Atom XML) to read instead of querying arXiv.", valueName: "file.xml"))
    var feed: String?

    @Option(help: ArgumentHelp("A JSON Lines file of papers (format: Datasets/README.md) to read instead of querying arXiv.", valueName: "file.jsonl"))
    var papers: String?

    @Option(help: "The arXiv search query, in arXiv API syntax (default: the profile's [query] search).")
    var query: String?

    @Option(help: "How many of the newest matching papers to fetch (default: the profile's [query] max_results).")
    var maxResults: Int?

    @Option(help: "The arXiv API endpoint (for a mirror or a test server).")
    var endpoint: String = ArxivQuery.defaultEndpoint.absoluteString

    @Option(help: "Least seconds between two requests to the API (arXiv asks for 3).")
    var requestInterval: Double = 3

    @Option(help: "Seconds one request may take before it is retried.")
    var timeout: Double = 30

    @Option(help: "Attempts per request, the first included, before giving up.")
    var attempts: Int = 4

    func validate() throws {
        if feed != nil && papers != nil {
            throw ValidationError("Give either --feed or --papers, not both.")
        }
        if let maxResults, maxResults < 1 { throw ValidationError("--max-results must be at least 1.") }
        // Only HTTP(S): URLSession would otherwise read file:// URLs or try other protocols.
        guard let url = URL(string: endpoint), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
              url.host?.isEmpty == false else {
            throw ValidationError("--endpoint must be an absolute http(s) URL, e.g. \(ArxivQuery.defaultEndpoint); got \"\(endpoint)\".")
        }
        // Finite too: an infinite interval or timeout would hang the run instead of failing it.
        guard requestInterval >= 0, requestInterval.isFinite, timeout > 0, timeout.isFinite, attempts >= 1 else {
            throw ValidationError("--request-interval must be a finite number ≥ 0, --timeout a finite number > 0 and --attempts ≥ 1.")
        }
    }

    /// True when papers come from the network rather than a file.
    var usesAPI: Bool { feed == nil && papers == nil }

    /// Reads or fetches every paper. Progress of network fetches goes to `log`.
    /// - Parameter profileQuery: the profile's search and result count, used where --query and
    ///   --max-results are not given (only read when papers come from the API).
    func loadPapers(profileQuery: () throws -> (search: String, maxResults: Int), log: @escaping @Sendable (String) -> Void) throws -> [Paper] {
        if let feed {
            let url = URL(fileURLWithPath: feed)
            let data = try readFile(url)
            return try AtomFeed.parse(data, source: feed).papers
        }
        if let papers {
            return try PaperJSONLReader.readAll(contentsOf: URL(fileURLWithPath: papers))
        }
        var retry = RetryPolicy()
        retry.maxAttempts = attempts
        let settings = ArxivClient.Settings(
            endpoint: URL(string: endpoint)!, minimumRequestInterval: requestInterval,
            requestTimeout: timeout, retry: retry)
        let client = ArxivClient(settings: settings, log: log)
        let defaults = (query == nil || maxResults == nil) ? try profileQuery() : (search: "", maxResults: 0)
        return try client.fetch(.newestSubmissions(matching: query ?? defaults.search, maxResults: maxResults ?? defaults.maxResults))
    }
}

/// Reads a whole input file, with an error that names it.
func readFile(_ url: URL) throws -> Data {
    do {
        return try Data(contentsOf: url)
    } catch {
        throw CLIError("cannot read \(url.path): \((error as NSError).localizedDescription)")
    }
}
