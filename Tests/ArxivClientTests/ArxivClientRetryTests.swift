import ArxivClient
import ArxivFeed
import Foundation
import Testing
import TestSupport

@Suite("ArxivClient retries and backoff")
struct ArxivClientRetryTests {
    @Test("503, 503, then success: three attempts, exponential backoff")
    func serviceUnavailableStreak() throws {
        let server = try LoopbackHTTPServer([.status(503), .status(503), .ok(try Fixture.data(Fixture.page0))])
        let clock = VirtualClock()
        let client = ArxivClient(server, settings: .loopback(server, maxAttempts: 4, baseDelay: 0.5), clock: clock)
        let papers = try client.fetch(testingQuery, count: 10)
        #expect(papers == (try Fixture.feed(Fixture.page0).papers))
        #expect(server.requests.count == 3)
        #expect(clock.sleeps == [0.5, 1.0])
    }

    @Test("retryable statuses", arguments: [429, 500, 502, 503])
    func retryableStatuses(status: Int) throws {
        let server = try LoopbackHTTPServer([.status(status), .ok(try Fixture.data(Fixture.page0))])
        let client = ArxivClient(server, settings: .loopback(server), clock: VirtualClock())
        #expect(try client.fetch(testingQuery, count: 10).count == 10)
        #expect(server.requests.count == 2)
    }

    @Test("a streak longer than maxAttempts: error names the URL, attempts and status")
    func exhausted() throws {
        let server = try LoopbackHTTPServer(Array(repeating: .status(502, body: Data("upstream down".utf8)), count: 3))
        let client = ArxivClient(server, settings: .loopback(server, maxAttempts: 3), clock: VirtualClock())
        let error = try #require(clientError { _ = try client.fetch(testingQuery, count: 5) })
        #expect(error.attempts == 3)
        #expect(error.reason == .httpStatus(502, bodyExcerpt: "upstream down"))
        #expect(error.url == testingQuery.page(start: 0, maxResults: 5).url(endpoint: server.url("/api/query")))
        #expect(error.description.contains(error.url.absoluteString))
        #expect(error.description.contains("3 attempts"))
        #expect(server.requests.count == 3)
    }

    @Test("seeded jitter stretches each delay by at most the fraction, reproducibly")
    func seededJitter() throws {
        func sleeps() throws -> [TimeInterval] {
            let server = try LoopbackHTTPServer([.status(500), .status(500), .status(500), .ok(try Fixture.data(Fixture.page0))])
            let clock = VirtualClock()
            let settings = ArxivClient.Settings.loopback(
                server, maxAttempts: 4, baseDelay: 1, jitter: .seeded(seed: 42, fraction: 0.5))
            _ = try ArxivClient(server, settings: settings, clock: clock).fetch(testingQuery, count: 10)
            return clock.sleeps
        }
        let first = try sleeps()
        #expect(first.count == 3)
        for (delay, base) in zip(first, [1.0, 2.0, 4.0]) { #expect(delay >= base && delay < base * 1.5) }
        #expect(first != [1, 2, 4])
        #expect(try sleeps() == first)
    }

    @Test("backoff doubles up to maxDelay")
    func backoffSchedule() {
        let policy = RetryPolicy(maxAttempts: 8, baseDelay: 3, maxDelay: 20, jitter: .none)
        #expect((1...5).map(policy.backoff(afterAttempt:)) == [3, 6, 12, 20, 20])
    }

    @Test("429 with Retry-After seconds: the client waits that long")
    func retryAfterSeconds() throws {
        let server = try LoopbackHTTPServer([
            .status(429, headers: [("Retry-After", "7")]), .ok(try Fixture.data(Fixture.page0)),
        ])
        let clock = VirtualClock()
        let client = ArxivClient(server, settings: .loopback(server, baseDelay: 0.5), clock: clock)
        #expect(try client.fetch(testingQuery, count: 10).count == 10)
        #expect(clock.sleeps == [7])
    }

    @Test("503 with Retry-After as an HTTP-date")
    func retryAfterDate() throws {
        let clock = VirtualClock()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let date = formatter.string(from: clock.origin.addingTimeInterval(20))
        let server = try LoopbackHTTPServer([
            .status(503, headers: [("Retry-After", date)]), .ok(try Fixture.data(Fixture.page0)),
        ])
        let client = ArxivClient(server, settings: .loopback(server), clock: clock)
        #expect(try client.fetch(testingQuery, count: 10).count == 10)
        #expect(clock.sleeps == [20])
    }

    @Test("Retry-After is capped")
    func retryAfterCap() throws {
        let server = try LoopbackHTTPServer([
            .status(429, headers: [("Retry-After", "86400")]), .ok(try Fixture.data(Fixture.page0)),
        ])
        let clock = VirtualClock()
        let client = ArxivClient(server, settings: .loopback(server, maxRetryAfter: 30), clock: clock)
        #expect(try client.fetch(testingQuery, count: 10).count == 10)
        #expect(clock.sleeps == [30])
    }

    @Test("Retry-After values", arguments: [
        ("120", 120.0), (" 0 ", 0), ("Sun, 06 Nov 1994 08:49:37 GMT", 37), ("Sunday, 06-Nov-94 08:49:37 GMT", 37),
        ("Sun Nov  6 08:49:37 1994", 37), ("Sun, 06 Nov 1994 08:48:00 GMT", 0),
    ])
    func retryAfterParsing(value: String, seconds: Double) throws {
        let now = try #require(RetryPolicyDate.reference)
        #expect(RetryPolicy.retryAfterSeconds(value, now: now) == seconds)
    }

    @Test("unreadable Retry-After is ignored")
    func retryAfterGarbage() {
        #expect(RetryPolicy.retryAfterSeconds("soon", now: Date()) == nil)
    }

    @Test("429 with Retry-After 1 waits a real second")
    func retryAfterRealTime() throws {
        let server = try LoopbackHTTPServer([
            .status(429, headers: [("Retry-After", "1")]), .ok(try Fixture.data(Fixture.page0)),
        ])
        let client = ArxivClient(server, settings: .loopback(server, baseDelay: 0), clock: SystemClock())
        #expect(try client.fetch(testingQuery, count: 10).count == 10)
        // Timed where the server read the requests: the retry cannot arrive before the 429 was sent plus a
        // second. (On a loaded CI machine a connection can also fail before reaching the server; the client
        // retries that at once, which is right, so the client's own attempt count is not the measure.)
        let requests = server.requests
        try #require(requests.count == 2)
        #expect(requests[1].time.timeIntervalSince(requests[0].time) >= 1.0)
    }

    @Test("400 with arXiv's error feed: typed error with arXiv's message, no retry")
    func arxivErrorFeed() throws {
        let server = try LoopbackHTTPServer([.status(400, headers: [("Content-Type", "application/atom+xml")],
                                                     body: try Fixture.data("error-400-bad-id-abc.xml"))])
        let clock = VirtualClock()
        let client = ArxivClient(server, settings: .loopback(server), clock: clock)
        let error = try #require(clientError { _ = try client.fetch(ArxivQuery(idList: ["abc"])) })
        #expect(error.reason == .arxivError(message: "incorrect id format for abc"))
        #expect(error.attempts == 1)
        #expect(error.description.contains("incorrect id format for abc"))
        #expect(server.requests.count == 1)
        #expect(clock.sleeps.isEmpty)
    }

    @Test("other 4xx are not retried", arguments: [400, 403, 404])
    func clientErrorsNotRetried(status: Int) throws {
        let server = try LoopbackHTTPServer([.status(status, body: Data("nope".utf8))])
        let client = ArxivClient(server, settings: .loopback(server), clock: VirtualClock())
        let error = try #require(clientError { _ = try client.fetch(testingQuery) })
        #expect(error.reason == .httpStatus(status, bodyExcerpt: "nope"))
        #expect(error.attempts == 1)
        #expect(server.requests.count == 1)
    }
}

enum RetryPolicyDate {
    /// 1994-11-06 08:49:00 GMT, the RFC 9110 example date minus 37 s.
    static let reference: Date? = {
        var components = DateComponents(year: 1994, month: 11, day: 6, hour: 8, minute: 49, second: 0)
        components.timeZone = TimeZone(identifier: "GMT")
        return Calendar(identifier: .gregorian).date(from: components)
    }()
}
