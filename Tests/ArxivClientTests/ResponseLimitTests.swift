import ArxivClient
import ArxivFeed
import Foundation
import Testing
import TestSupport

/// A response body is capped while it streams in, a compressed body (not asked for) is refused before it is
/// read, and redirects go only to http(s). Peak memory is measured on a CLI child process
/// (`CLITests/DownloadMemoryTests`), not here: tests running beside each other share this process's peak.
@Suite("response size and redirect limits")
struct ResponseLimitTests {
    static let mib = 1 << 20

    @Test("an endless chunked body is cut at the cap: a clear error, no retry")
    func endlessBody() throws {
        let chunk = Data(repeating: UInt8(ascii: "x"), count: 64 << 10)
        // Up to 1 GiB would be sent; the cap (4 MiB here) must stop it long before.
        let server = try LoopbackHTTPServer([.status(200, headers: [("Content-Type", "application/atom+xml")], body: chunk,
                                                     delivery: .endless(maxBytes: 1 << 30))])
        defer { server.stop() }
        let client = ArxivClient(settings: .loopback(server), transport: ServerReachingTransport(CurlTransport(maxBodyBytes: 4 * Self.mib), server: server),
                                 clock: VirtualClock())
        let error = try #require(clientError { _ = try client.fetch(testingQuery, count: 10) })
        #expect(error.reason == .transport(.bodyTooLarge(limit: 4 * Self.mib)))
        #expect(error.attempts == 1)
        #expect(error.description.contains("over the limit of 4194304 bytes"))
        // The server stopped sending long before its 1 GiB: the client hung up.
        #expect(server.requests.count == 1)
    }

    @Test("a small gzip body (256 MiB inflated) is refused before it is read: compression was not asked for")
    func inflatingBody() throws {
        // 256 MiB of spaces, gzip-compressed to about 250 KB.
        let gzip = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "head -c 268435456 /dev/zero | tr '\\\\0' ' ' | gzip -1"])
        try #require(gzip.status == 0 && gzip.stdout.count < 4 * Self.mib, "gzip failed: \(gzip.stderrText)")
        let server = try LoopbackHTTPServer([.status(200, headers: [("Content-Type", "application/atom+xml"), ("Content-Encoding", "gzip")],
                                                     body: gzip.stdout)])
        defer { server.stop() }
        let client = ArxivClient(settings: .loopback(server), transport: ServerReachingTransport(CurlTransport(maxBodyBytes: 8 * Self.mib), server: server),
                                 clock: VirtualClock())
        let error = try #require(clientError { _ = try client.fetch(testingQuery, count: 10) })
        #expect(error.reason == .transport(.compressedBody(encoding: "gzip")))
        #expect(error.attempts == 1)
        #expect(server.requests.first?.headers["accept-encoding"] == "identity")
    }

    @Test("an unrequested compressing Transfer-Encoding is refused at the headers, like a Content-Encoding")
    func compressingTransferEncoding() throws {
        let server = try LoopbackHTTPServer([.status(200, headers: [("Transfer-Encoding", "gzip, chunked")],
                                                     body: Data("1\r\nx\r\n0\r\n\r\n".utf8))])
        defer { server.stop() }
        let client = ArxivClient(server, settings: .loopback(server), clock: VirtualClock())
        let error = try #require(clientError { _ = try client.fetch(testingQuery, count: 10) })
        #expect(error.reason == .transport(.compressedBody(encoding: "gzip", header: "Transfer-Encoding")))
        #expect(error.description.contains("(Transfer-Encoding gzip)"), "\(error)")
        #expect(error.attempts == 1)
    }

    @Test("two different Content-Length headers are refused, not cut to the first (libcurl's choice)")
    func conflictingLengths() throws {
        let page = try Fixture.data(Fixture.page0)
        let server = try LoopbackHTTPServer([.status(200, headers: [("Content-Length", "10"), ("Content-Length", "\(page.count)")], body: page)])
        defer { server.stop() }
        let client = ArxivClient(server, settings: .loopback(server), clock: VirtualClock())
        let error = try #require(clientError { _ = try client.fetch(testingQuery, count: 10) })
        #expect(error.reason == .transport(.conflictingLengths(values: ["10", "\(page.count)"].sorted())))
        #expect(error.description.contains("announces different lengths"), "\(error)")
        #expect(error.attempts == 1)
    }

    @Test("headers beyond 300 KiB are refused (libcurl's own limit), so the header block is bounded too")
    func oversizedHeaders() throws {
        let filler = (0..<400).map { ("X-Filler-\($0)", String(repeating: "a", count: 1000)) }
        let server = try LoopbackHTTPServer([.status(200, headers: filler, body: Data("x".utf8))])
        defer { server.stop() }
        let client = ArxivClient(server, settings: .loopback(server, maxAttempts: 1), clock: VirtualClock())
        let error = try #require(clientError { _ = try client.fetch(testingQuery, count: 10) })
        guard case .transport(.connectionFailed(let detail)) = error.reason else {
            Issue.record("expected a refused response, got \(error)")
            return
        }
        #expect(detail.contains("Too large response headers"))
    }

    @Test("an announced Content-Length over the cap is refused before the body is read")
    func announcedLength() throws {
        let body = Data(repeating: UInt8(ascii: " "), count: 2 * Self.mib)
        let server = try LoopbackHTTPServer([.ok(body)])
        defer { server.stop() }
        let client = ArxivClient(settings: .loopback(server), transport: ServerReachingTransport(CurlTransport(maxBodyBytes: Self.mib), server: server),
                                 clock: VirtualClock())
        let error = try #require(clientError { _ = try client.fetch(testingQuery, count: 10) })
        #expect(error.reason == .transport(.bodyTooLarge(limit: Self.mib)))
    }

    @Test("a body just under the cap is read")
    func underTheCap() throws {
        let page = try Fixture.data(Fixture.page0)
        let server = try LoopbackHTTPServer([.ok(page)])
        defer { server.stop() }
        let client = ArxivClient(settings: .loopback(server), transport: ServerReachingTransport(CurlTransport(maxBodyBytes: page.count), server: server),
                                 clock: VirtualClock())
        #expect(try client.fetch(testingQuery, count: 10).count == 10)
    }

    @Test("a redirect to file:// is refused as such, not reported as a 404; no retry", arguments: ["file:///etc/passwd", "ftp://example.org/x"])
    func redirectToOtherScheme(location: String) throws {
        let server = try LoopbackHTTPServer([.status(302, headers: [("Location", location)])])
        defer { server.stop() }
        let client = ArxivClient(server, settings: .loopback(server), clock: VirtualClock())
        let error = try #require(clientError { _ = try client.fetch(testingQuery, count: 10) })
        #expect(error.reason == .transport(.redirectRefused(location: location)))
        #expect(error.attempts == 1)
        #expect(error.description.contains("only http and https are followed"))
    }

    @Test("a redirect to a port no connection can use is refused, no retry; one without a location is its status",
          arguments: ["http://127.0.0.1:0/x", "http://127.0.0.1:70000/x", "http://127.0.0.1:99999999999999999999/x", ""])
    func redirectToBadPortOrNowhere(location: String) throws {
        let server = try LoopbackHTTPServer([.status(302, headers: [("Location", location)])])
        defer { server.stop() }
        let client = ArxivClient(server, settings: .loopback(server), clock: VirtualClock())
        let error = try #require(clientError { _ = try client.fetch(testingQuery, count: 10) })
        if location.isEmpty {
            #expect(error.reason == .httpStatus(302, bodyExcerpt: ""))
        } else {
            #expect(error.reason == .transport(.redirectToBadPort(location: location)))
            #expect(error.description.contains("its port is not between 1 and 65535"))
        }
        #expect(error.attempts == 1)
    }

    @Test("a redirect to http on the same server is followed")
    func redirectToHTTP() throws {
        let page = try Fixture.data(Fixture.page0)
        let server = try LoopbackHTTPServer(handler: { request in
            request.target.hasPrefix("/moved") ? .ok(page) : .status(301, headers: [("Location", "/moved/api/query")])
        })
        defer { server.stop() }
        let client = ArxivClient(server, settings: .loopback(server), clock: VirtualClock())
        #expect(try client.fetch(testingQuery, count: 10).count == 10)
    }

    @Test("a redirect loop: the first request and five redirects, then an error that is not retried")
    func redirectLoop() throws {
        // Each hop redirects to its own path plus "x", so the path shows how deep the chain went.
        let server = try LoopbackHTTPServer(handler: { request in .status(302, headers: [("Location", request.target + "x")]) })
        defer { server.stop() }
        let transport = CurlTransport()
        var outcome: Error?
        // A loopback connection can fail under load mid-chain; such a chain is started again.
        for _ in 0..<5 {
            do {
                _ = try transport.get(server.url("/r"), headers: [:], timeout: 30)
                break
            } catch TransportError.connectionFailed {
                continue
            } catch {
                outcome = error
                break
            }
        }
        #expect(outcome as? TransportError == .tooManyRedirects(limit: 5))
        #expect(outcome.map { "\($0)" } == "more than 5 redirects in a row (a redirect loop?)")
        // Another attempt would follow the same loop (before, 24 requests and 23 s of backoff).
        #expect(!ArxivClientError.Reason.transport(.tooManyRedirects(limit: 5)).isRetryable)
        #expect(server.requests.last?.target == "/rxxxxx")
        #expect(!server.requests.contains { $0.target == "/rxxxxxx" })
    }

    @Test("a server repeating its page: paging stops at the first page that adds nothing")
    func repeatingServer() throws {
        let page = try Fixture.data(Fixture.page0)
        let server = try LoopbackHTTPServer(handler: { _ in .ok(page) })
        defer { server.stop() }
        let client = ArxivClient(server, settings: .loopback(server, pageSize: 10), clock: VirtualClock())
        let papers = try client.fetch(testingQuery, count: 30_000)
        #expect(papers.count == 10)
        #expect(server.requests.count == 2)
    }

    @Test("credentials in the endpoint never appear in logs or errors")
    func maskedCredentials() throws {
        let server = try LoopbackHTTPServer([.status(404, body: Data("no".utf8))])
        defer { server.stop() }
        var settings = ArxivClient.Settings.loopback(server)
        settings.endpoint = URL(string: "http://reader:s3cret-pass@127.0.0.1:\(server.port)/api/query")!
        let lines = LogLines()
        let client = ArxivClient(server, settings: settings, clock: VirtualClock(), log: { lines.append($0) })
        let error = try #require(clientError { _ = try client.fetch(testingQuery, count: 10) })
        #expect(!error.description.contains("s3cret-pass"))
        #expect(error.description.contains("***"))
        #expect(!lines.all.joined().contains("s3cret-pass"))
        #expect(!lines.all.isEmpty)
    }
}
