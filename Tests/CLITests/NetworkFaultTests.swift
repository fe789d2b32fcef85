import Foundation
import Testing
import TestSupport

/// `digest` against a misbehaving arXiv API (a loopback server): it either succeeds after retrying or exits
/// non-zero with a clear message, and never puts a partial or empty digest over the good one already there.
@Suite("digest against network faults")
struct NetworkFaultTests {
    static let pageFixture = "fixtures/atom/search-testing-start0-max10.xml"

    /// A folder whose d.md holds a good digest (of the sample feed), as yesterday's run left it.
    static func scratchWithGoodDigest() throws -> (Scratch, Data) {
        let scratch = try Scratch()
        let feed = SharedData.packageRoot.appendingPathComponent("Datasets/samples/sample-feed.xml")
        let result = try CLI.run([
            "digest", "--feed", feed.path, "--classifier", "keywords", "--run-time", "2026-11-24 08:00",
            "--output", scratch.path("d.md"),
        ])
        try #require(result.status == 0, CLI.describe(result))
        return (scratch, try scratch.read("d.md"))
    }

    /// Runs `digest` against `server` with fast retry settings. Tests that expect success give a spare attempt:
    /// on a loaded machine a loopback connection can fail before it reaches the server, and the client is right
    /// to retry it.
    static func runDigest(
        _ server: LoopbackHTTPServer, _ scratch: Scratch, maxResults: Int = 10, attempts: Int = 2
    ) async throws -> ProcessResult {
        try await CLI.runDetached([
            "digest", "--endpoint", server.url("/api/query").absoluteString, "--request-interval", "0",
            "--timeout", "1", "--attempts", "\(attempts)", "--max-results", "\(maxResults)", "--classifier", "keywords",
            "--run-time", "2026-11-25 08:00", "--output", scratch.path("d.md"),
        ])
    }

    /// The run failed cleanly: non-zero exit, a message naming the request and `reason`, the good digest intact.
    /// `reason` is the last attempt's, so it is checked when the server saw every attempt (`seenAttempts`); an
    /// attempt whose connection failed before reaching the server (a loaded machine) ends in "connection failed".
    static func expectCleanFailure(
        _ result: ProcessResult, _ scratch: Scratch, good: Data, server: LoopbackHTTPServer, reason: String,
        seenAttempts: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(result.status != 0, "expected a failure", sourceLocation: sourceLocation)
        #expect(result.stderrText.contains("127.0.0.1:\(server.port)"), CLI.describe(result), sourceLocation: sourceLocation)
        if let seenAttempts, server.requests.count < seenAttempts {
            #expect(result.stderrText.contains("\(seenAttempts) attempts"), CLI.describe(result), sourceLocation: sourceLocation)
        } else {
            #expect(result.stderrText.contains(reason), CLI.describe(result), sourceLocation: sourceLocation)
        }
        #expect(try scratch.read("d.md") == good, "the good digest was replaced", sourceLocation: sourceLocation)
        let files = try scratch.listing()
        #expect(files == ["d.md"], "files left behind: \(files)", sourceLocation: sourceLocation)
    }

    /// The run succeeded: the digest now holds the ten papers of the fixture page.
    static func expectTenPaperDigest(_ result: ProcessResult, _ scratch: Scratch, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(result.status == 0, CLI.describe(result), sourceLocation: sourceLocation)
        let digest = try scratch.text("d.md")
        #expect(digest.contains("Last Run: 2026-11-25 08:00 UTC"), sourceLocation: sourceLocation)
        #expect(digest.components(separatedBy: "\n").filter { $0.hasPrefix("### [") }.count == 10, sourceLocation: sourceLocation)
        #expect(try scratch.listing() == ["d.md"], sourceLocation: sourceLocation)
    }

    @Test("happy path: one request with the digest's query, a ten-paper digest")
    func happyPath() async throws {
        let (scratch, _) = try Self.scratchWithGoodDigest()
        defer { scratch.remove() }
        let server = try LoopbackHTTPServer([.ok(try SharedData.data(Self.pageFixture))])
        defer { server.stop() }
        try Self.expectTenPaperDigest(try await Self.runDigest(server, scratch, attempts: 3), scratch)
        let request = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect(request.method == "GET")
        #expect(request.target.hasPrefix("/api/query?"))
        #expect(request.queryValue("search_query") ==
            "all:neuromorphic OR all:\"spiking neural network\" OR all:memristor OR all:\"in-memory computing\" OR all:\"event-based vision\"")
        #expect(request.queryValue("sortBy") == "submittedDate")
        #expect(request.queryValue("sortOrder") == "descending")
        #expect(request.queryValue("max_results") == "10")
        #expect(request.queryValue("start") ?? "0" == "0")
    }

    @Test("--query is sent as search_query")
    func customQuery() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let server = try LoopbackHTTPServer([.ok(try SharedData.data(Self.pageFixture))])
        defer { server.stop() }
        let result = try await CLI.runDetached([
            "fetch", "--endpoint", server.url("/api/query").absoluteString, "--request-interval", "0",
            "--max-results", "10", "--query", "all:testing AND cat:cs.SE", "--output", scratch.path("p.jsonl"),
        ])
        #expect(result.status == 0, CLI.describe(result))
        #expect(JSONLines.lines(of: try scratch.read("p.jsonl")).count == 10)
        #expect(server.requests.first?.queryValue("search_query") == "all:testing AND cat:cs.SE")
    }

    @Test("a short page is followed by a request for the rest: 20 papers from two pages")
    func paging() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let server = try LoopbackHTTPServer([
            .ok(try SharedData.data(Self.pageFixture)), .ok(try SharedData.data("fixtures/atom/search-testing-start10-max10.xml")),
        ])
        defer { server.stop() }
        let result = try await CLI.runDetached([
            "fetch", "--endpoint", server.url("/api/query").absoluteString, "--request-interval", "0",
            "--max-results", "20", "--output", scratch.path("p.jsonl"),
        ])
        try #require(result.status == 0, CLI.describe(result))
        let ids = try JSONLines.lines(of: try scratch.read("p.jsonl")).map { try JSONLines.object($0)["id"] as? String }
        #expect(ids.count == 20)
        #expect(Set(ids).count == 20)
        #expect(server.requests.map { $0.queryValue("start") } == ["0", "10"])
        #expect(server.requests.map { $0.queryValue("max_results") } == ["20", "10"])
    }

    @Test("connection refused: a clear error after every attempt")
    func connectionRefused() async throws {
        let (scratch, good) = try Self.scratchWithGoodDigest()
        defer { scratch.remove() }
        let server = try LoopbackHTTPServer([])
        server.stop()
        let result = try await Self.runDigest(server, scratch)
        try Self.expectCleanFailure(result, scratch, good: good, server: server, reason: "connection failed")
        #expect(result.stderrText.contains("2 attempts"))
    }

    @Test("connection reset mid-body on every attempt: a clear error")
    func resetMidBody() async throws {
        let (scratch, good) = try Self.scratchWithGoodDigest()
        defer { scratch.remove() }
        let reply = LoopbackHTTPServer.Reply.status(200, body: try SharedData.data(Self.pageFixture), delivery: .reset(afterBytes: 3000))
        let server = try LoopbackHTTPServer([reply, reply])
        defer { server.stop() }
        try Self.expectCleanFailure(try await Self.runDigest(server, scratch), scratch, good: good, server: server, reason: "2 attempts")
        #expect((1...2).contains(server.requests.count))
    }

    @Test("connection reset once, then a good answer: retried, digest written")
    func resetThenSuccess() async throws {
        let (scratch, _) = try Self.scratchWithGoodDigest()
        defer { scratch.remove() }
        let body = try SharedData.data(Self.pageFixture)
        let server = try LoopbackHTTPServer([.status(200, body: body, delivery: .reset(afterBytes: 3000)), .ok(body)])
        defer { server.stop() }
        try Self.expectTenPaperDigest(try await Self.runDigest(server, scratch, attempts: 3), scratch)
        #expect(server.requests.count == 2)
    }

    @Test("a body dripping past --timeout: a timeout error")
    func slowDrip() async throws {
        let (scratch, good) = try Self.scratchWithGoodDigest()
        defer { scratch.remove() }
        let reply = LoopbackHTTPServer.Reply.status(
            200, headers: [("Content-Type", "application/atom+xml")], body: try SharedData.data(Self.pageFixture),
            delivery: .drip(bytes: 256, interval: 0.1))
        let server = try LoopbackHTTPServer([reply, reply])
        defer { server.stop() }
        try Self.expectCleanFailure(try await Self.runDigest(server, scratch), scratch, good: good, server: server,
                                    reason: "no complete response within 1 s", seenAttempts: 2)
        #expect((1...2).contains(server.requests.count))
    }

    @Test("a streak of 503s: every attempt made, then an error naming the status")
    func serviceUnavailableStreak() async throws {
        let (scratch, good) = try Self.scratchWithGoodDigest()
        defer { scratch.remove() }
        let server = try LoopbackHTTPServer(Array(repeating: .status(503, body: Data("busy".utf8)), count: 2))
        defer { server.stop() }
        try Self.expectCleanFailure(try await Self.runDigest(server, scratch), scratch, good: good, server: server,
                                    reason: "HTTP 503", seenAttempts: 2)
        #expect((1...2).contains(server.requests.count))
    }

    @Test("429 with Retry-After, then success: waits, retries and writes the digest")
    func retryAfterThenSuccess() async throws {
        let (scratch, _) = try Self.scratchWithGoodDigest()
        defer { scratch.remove() }
        let server = try LoopbackHTTPServer([
            .status(429, headers: [("Retry-After", "1")]), .ok(try SharedData.data(Self.pageFixture)),
        ])
        defer { server.stop() }
        try Self.expectTenPaperDigest(try await Self.runDigest(server, scratch, attempts: 3), scratch)
        let requests = server.requests
        try #require(requests.count == 2)
        #expect(requests[1].time.timeIntervalSince(requests[0].time) >= 0.9, "did not honour Retry-After")
    }

    @Test("200 with an empty body: no retry, a clear error")
    func emptyBody() async throws {
        let (scratch, good) = try Self.scratchWithGoodDigest()
        defer { scratch.remove() }
        let server = try LoopbackHTTPServer([.ok(Data()), .ok(Data())])
        defer { server.stop() }
        try Self.expectCleanFailure(try await Self.runDigest(server, scratch, attempts: 3), scratch, good: good, server: server, reason: "empty body")
    }

    @Test("200 with an HTML page: a clear error")
    func htmlPage() async throws {
        let (scratch, good) = try Self.scratchWithGoodDigest()
        defer { scratch.remove() }
        let html = Data("<!DOCTYPE html>\n<html><head><title>Down for maintenance</title></head><body>Back soon</body></html>".utf8)
        let server = try LoopbackHTTPServer([.ok(html, contentType: "text/html"), .ok(html, contentType: "text/html")])
        defer { server.stop() }
        try Self.expectCleanFailure(try await Self.runDigest(server, scratch, attempts: 3), scratch, good: good, server: server, reason: "not an Atom feed")
    }

    @Test("arXiv's own error feed over HTTP 400: its message, no retry")
    func arxivErrorFeed() async throws {
        let (scratch, good) = try Self.scratchWithGoodDigest()
        defer { scratch.remove() }
        let server = try LoopbackHTTPServer([
            .status(400, headers: [("Content-Type", "application/atom+xml")], body: try SharedData.data("fixtures/atom/error-400-bad-id-abc.xml")),
        ])
        defer { server.stop() }
        try Self.expectCleanFailure(try await Self.runDigest(server, scratch, attempts: 3), scratch, good: good, server: server,
                                    reason: "incorrect id format for abc")
        #expect(server.requests.count == 1)
    }

    @Test("network options out of range are usage errors, and nothing is requested", arguments: [
        ["--endpoint", "file:///etc/passwd"], ["--endpoint", "ftp://example.org/api"], ["--endpoint", "/api/query"],
        ["--timeout", "0"], ["--timeout", "inf"], ["--request-interval", "inf"], ["--request-interval=-1"],
        ["--attempts", "0"], ["--max-results", "0"],
    ])
    func badNetworkOptions(option: [String]) async throws {
        let (scratch, good) = try Self.scratchWithGoodDigest()
        defer { scratch.remove() }
        let server = try LoopbackHTTPServer([.ok(try SharedData.data(Self.pageFixture))])
        defer { server.stop() }
        let result = try await CLI.runDetached([
            "digest", "--endpoint", server.url("/api/query").absoluteString, "--classifier", "keywords",
            "--output", scratch.path("d.md"),
        ] + option)
        #expect(result.status == 64, CLI.describe(result))
        #expect(result.stderrText.contains(option[0].split(separator: "=")[0]), CLI.describe(result))
        #expect(try scratch.read("d.md") == good)
        #expect(server.requests.isEmpty)
    }
}
