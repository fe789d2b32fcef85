import ArxivClient
import ArxivFeed
import Foundation
import Testing
import TestSupport

/// Broken connections and bodies that are not feeds, served by the loopback server.
@Suite("ArxivClient transport faults")
struct ArxivClientFaultTests {
    private static func isTransportFailure(_ reason: ArxivClientError.Reason) -> Bool {
        if case .transport = reason { return true }
        return false
    }

    @Test("a body dripping past the timeout: retried, then an error naming the URL")
    func slowDrip() throws {
        let body = try Fixture.data(Fixture.page0)
        let drip = LoopbackHTTPServer.Reply.status(
            200, headers: [("Content-Type", "application/atom+xml")], body: body,
            delivery: .drip(bytes: 64, interval: 0.05))
        let server = try LoopbackHTTPServer([drip, drip])
        let client = ArxivClient(server, settings: .loopback(server, timeout: 0.4, maxAttempts: 2), clock: VirtualClock())
        let error = try #require(clientError { _ = try client.fetch(testingQuery, count: 10) })
        #expect(error.reason == .transport(.timedOut(seconds: 0.4)))
        #expect(error.attempts == 2)
        #expect(error.description.contains(server.url("/api/query").absoluteString))
        #expect(error.description.contains("within 0.4 s"))
        #expect(server.requests.count == 2)
    }

    @Test("headers arriving after the timeout: retried, then success")
    func lateHeaders() throws {
        let body = try Fixture.data(Fixture.page0)
        let server = try LoopbackHTTPServer([.status(200, body: body, delayBeforeHeaders: 3), .ok(body)])
        let client = ArxivClient(server, settings: .loopback(server, timeout: 1), clock: VirtualClock())
        #expect(try client.fetch(testingQuery, count: 10).count == 10)
        #expect(server.requests.count == 2)
    }

    @Test("a body shorter than its Content-Length: retried", arguments: [
        LoopbackHTTPServer.BodyDelivery.truncate(afterBytes: 3000), .reset(afterBytes: 3000),
    ])
    func brokenBodyRetried(delivery: LoopbackHTTPServer.BodyDelivery) throws {
        let body = try Fixture.data(Fixture.page0)
        let server = try LoopbackHTTPServer([.status(200, body: body, delivery: delivery), .ok(body)])
        let client = ArxivClient(server, settings: .loopback(server), clock: VirtualClock())
        #expect(try client.fetch(testingQuery, count: 10) == (try Fixture.feed(Fixture.page0).papers))
        #expect(server.requests.count == 2)
    }

    @Test("a body always cut short: a transport error after every attempt", arguments: [
        LoopbackHTTPServer.BodyDelivery.truncate(afterBytes: 3000), .reset(afterBytes: 3000),
    ])
    func brokenBodyExhausted(delivery: LoopbackHTTPServer.BodyDelivery) throws {
        let body = try Fixture.data(Fixture.page0)
        let reply = LoopbackHTTPServer.Reply.status(200, body: body, delivery: delivery)
        let server = try LoopbackHTTPServer([reply, reply])
        let client = ArxivClient(server, settings: .loopback(server, maxAttempts: 2), clock: VirtualClock())
        let error = try #require(clientError { _ = try client.fetch(testingQuery, count: 10) })
        #expect(Self.isTransportFailure(error.reason))
        #expect(error.attempts == 2)
    }

    @Test("a feed that stops inside the document (no Content-Length to tell): retried as a download cut short")
    func cutShortFeedRetried() throws {
        let body = try Fixture.data(Fixture.page0)
        let server = try LoopbackHTTPServer([.ok(body.prefix(3000)), .ok(body)])
        let client = ArxivClient(server, settings: .loopback(server), clock: VirtualClock())
        #expect(try client.fetch(testingQuery, count: 10) == (try Fixture.feed(Fixture.page0).papers))
        #expect(server.requests.count == 2)
    }

    @Test("a chunked body beside a Content-Length that disagrees: the chunks decide (RFC 9112 §6.3)")
    func chunkedOverridesContentLength() throws {
        let body = try Fixture.data(Fixture.page0)
        let server = try LoopbackHTTPServer([
            .status(200, headers: [("Content-Type", "application/atom+xml"), ("Content-Length", "\(body.count + 500)")],
                    body: body, delivery: .chunked),
        ])
        let client = ArxivClient(server, settings: .loopback(server, maxAttempts: 1), clock: VirtualClock())
        #expect(try client.fetch(testingQuery, count: 10) == (try Fixture.feed(Fixture.page0).papers))
    }

    @Test("a connection closed without an answer: retried")
    func closedWithoutAnswer() throws {
        let server = try LoopbackHTTPServer([.closeWithoutAnswer, .ok(try Fixture.data(Fixture.page0))])
        let client = ArxivClient(server, settings: .loopback(server), clock: VirtualClock())
        #expect(try client.fetch(testingQuery, count: 10).count == 10)
        #expect(server.requests.count == 2)
    }

    @Test("connection refused: every attempt made, then a clear error")
    func refused() throws {
        let server = try LoopbackHTTPServer([])
        server.stopListening()
        let clock = VirtualClock()
        let client = ArxivClient(settings: .loopback(server, maxAttempts: 3), clock: clock)
        let error = try #require(clientError { _ = try client.fetch(testingQuery, count: 10) })
        guard case .transport(.connectionFailed) = error.reason else {
            Issue.record("expected a connection failure, got \(error.reason)")
            return
        }
        #expect(error.attempts == 3)
        #expect(error.description.contains("127.0.0.1:\(server.port)"))
        #expect(clock.sleeps == [0.5, 1.0])
        #expect(server.requests.isEmpty)
    }

    @Test("200 with an empty body: an error, no papers, no retry")
    func emptyBody() throws {
        let server = try LoopbackHTTPServer([.ok(Data()), .ok(Data("\n  \n".utf8))])
        let client = ArxivClient(server, settings: .loopback(server), clock: VirtualClock())
        for _ in 0..<2 {
            let error = try #require(clientError { _ = try client.fetch(testingQuery, count: 10) })
            #expect(error.reason == .emptyBody(status: 200))
            #expect(error.attempts == 1)
        }
        #expect(server.requests.count == 2)
    }

    @Test("200 with an HTML page: an error, no papers, no retry")
    func htmlPage() throws {
        let html = Data("<!DOCTYPE html>\n<html><head><title>Maintenance</title></head><body>Back soon</body></html>".utf8)
        let server = try LoopbackHTTPServer([
            .ok(html, contentType: "text/html; charset=utf-8"), .ok(html, contentType: "application/atom+xml"),
        ])
        let client = ArxivClient(server, settings: .loopback(server), clock: VirtualClock())
        for _ in 0..<2 {
            let error = try #require(clientError { _ = try client.fetch(testingQuery, count: 10) })
            guard case .notAtomFeed(let detail) = error.reason else {
                Issue.record("expected notAtomFeed, got \(error.reason)")
                continue
            }
            #expect(detail.contains("Maintenance"))
            #expect(error.attempts == 1)
        }
        #expect(server.requests.count == 2)
    }

    @Test("200 with XML that is not a feed: a malformed-feed error")
    func notAFeed() throws {
        let server = try LoopbackHTTPServer([.ok(Data("<?xml version=\"1.0\"?><rss><channel/></rss>".utf8))])
        let client = ArxivClient(server, settings: .loopback(server), clock: VirtualClock())
        let error = try #require(clientError { _ = try client.fetch(testingQuery, count: 10) })
        guard case .malformedFeed = error.reason else {
            Issue.record("expected malformedFeed, got \(error.reason)")
            return
        }
        #expect(error.attempts == 1)
    }
}
