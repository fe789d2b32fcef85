import ArxivClient
import ArxivFeed
import Foundation
import Testing
import TestSupport

@Suite("ArxivClient paging and spacing")
struct ArxivClientPagingTests {
    @Test("20 papers in pages of 10: two requests, start=0 then start=10")
    func twoPages() throws {
        let server = try LoopbackHTTPServer([.ok(try Fixture.data(Fixture.page0)), .ok(try Fixture.data(Fixture.page1))])
        let client = ArxivClient(server, settings: .loopback(server, pageSize: 10), clock: VirtualClock())
        let papers = try client.fetch(testingQuery, count: 20)

        let expected = try Fixture.feed(Fixture.page0).papers + Fixture.feed(Fixture.page1).papers
        #expect(papers.count == 20)
        #expect(papers == expected)
        let requests = server.requests
        #expect(requests.map { $0.queryValue("start") } == ["0", "10"])
        #expect(requests.map { $0.queryValue("max_results") } == ["10", "10"])
        #expect(requests.allSatisfy { $0.queryValue("search_query") == "testing" && $0.method == "GET" })
        #expect(requests.allSatisfy { $0.target.hasPrefix("/api/query?") })
    }

    @Test("the last page asks only for what is still missing")
    func partialLastPage() throws {
        let server = try LoopbackHTTPServer([.ok(try Fixture.data(Fixture.page0)), .ok(try Fixture.data(Fixture.page1))])
        let client = ArxivClient(server, settings: .loopback(server, pageSize: 10), clock: VirtualClock())
        let papers = try client.fetch(testingQuery, count: 13)
        #expect(papers.count == 13)
        #expect(server.requests.map { $0.queryValue("max_results") } == ["10", "3"])
    }

    @Test("totalResults 0: one request, no papers")
    func emptyResult() throws {
        let server = try LoopbackHTTPServer([.ok(try Fixture.data("empty-result-id-0000.0000.xml"))])
        let client = ArxivClient(server, settings: .loopback(server, pageSize: 10), clock: VirtualClock())
        let papers = try client.fetch(ArxivQuery(idList: ["0000.0000"]), count: 50)
        #expect(papers.isEmpty)
        #expect(server.requests.count == 1)
    }

    @Test("stops once totalResults is reached")
    func stopsAtTotal() throws {
        let server = try LoopbackHTTPServer([.ok(try Fixture.data("id-1605.08386-multi-category.xml"))])
        let client = ArxivClient(server, settings: .loopback(server, pageSize: 1), clock: VirtualClock())
        let papers = try client.fetch(ArxivQuery(idList: ["1605.08386"]), count: 10)
        #expect(papers.map(\.id) == ["1605.08386"])
        #expect(server.requests.count == 1)
    }

    @Test("a page served twice yields each paper once")
    func duplicatePages() throws {
        let page = try Fixture.data(Fixture.page0)
        let server = try LoopbackHTTPServer([.ok(page), .ok(page)])
        let client = ArxivClient(server, settings: .loopback(server, pageSize: 10), clock: VirtualClock())
        let papers = try client.fetch(testingQuery, count: 20)
        #expect(papers == (try Fixture.feed(Fixture.page0).papers))
        #expect(server.requests.count == 2)
    }

    @Test("papers a page repeats from the one before (new papers moved the list down) do not count: the next page asks for the rest")
    func shiftedPages() throws {
        let entries = try FeedPages.entries(of: "search-testing-100-entries.xml")
        let server = try LoopbackHTTPServer([
            .ok(try FeedPages.feed(entries[0..<10])),
            .ok(try FeedPages.feed(entries[7..<17])),  // three new papers announced in between
            .ok(try FeedPages.feed(entries[17..<20])),
        ])
        let client = ArxivClient(server, settings: .loopback(server, pageSize: 10), clock: VirtualClock())
        let papers = try client.fetch(testingQuery, count: 20)
        let all = try Fixture.feed("search-testing-100-entries.xml").papers
        #expect(papers == Array(all.prefix(20)))
        #expect(server.requests.map { $0.queryValue("start") } == ["0", "10", "20"])
        #expect(server.requests.map { $0.queryValue("max_results") } == ["10", "10", "3"])
    }

    @Test("an empty page although totalResults says more: asked again, and the fetch goes on")
    func emptyPageRetried() throws {
        let entries = try FeedPages.entries(of: "search-testing-100-entries.xml")
        let server = try LoopbackHTTPServer([
            .ok(try FeedPages.feed(entries[0..<10])), .ok(try FeedPages.feed(entries[0..<0])),
            .ok(try FeedPages.feed(entries[10..<20])),
        ])
        let clock = VirtualClock()
        let client = ArxivClient(server, settings: .loopback(server, pageSize: 10), clock: clock)
        let papers = try client.fetch(testingQuery, count: 20)
        #expect(papers == Array(try Fixture.feed("search-testing-100-entries.xml").papers.prefix(20)))
        #expect(server.requests.map { $0.queryValue("start") } == ["0", "10", "10"])
        #expect(clock.sleeps == [0.5])
    }

    @Test("a later page empty on every attempt: the papers so far, with a warning in the log")
    func emptyLaterPageExhausted() throws {
        let entries = try FeedPages.entries(of: "search-testing-100-entries.xml")
        let empty = LoopbackHTTPServer.Reply.ok(try FeedPages.feed(entries[0..<0]))
        let server = try LoopbackHTTPServer([.ok(try FeedPages.feed(entries[0..<10])), empty, empty])
        let lines = LogLines()
        let client = ArxivClient(server, settings: .loopback(server, pageSize: 10, maxAttempts: 2), clock: VirtualClock(), log: { lines.append($0) })
        let papers = try client.fetch(testingQuery, count: 20)
        #expect(papers == Array(try Fixture.feed("search-testing-100-entries.xml").papers.prefix(10)))
        #expect(server.requests.count == 3)
        #expect(lines.all.contains("warning: no papers at start=10 although the feed reports 214881 results (arXiv's API sometimes answers so; try again later) after 2 attempt(s); stopping with 10 of 20 papers"),
                "\(lines.all)")
    }

    @Test("the first page empty on every attempt although totalResults says more: an error naming the page, not \"no papers matched\"")
    func emptyFirstPageExhausted() throws {
        let entries = try FeedPages.entries(of: "search-testing-100-entries.xml")
        let empty = LoopbackHTTPServer.Reply.ok(try FeedPages.feed(entries[0..<0]))
        let server = try LoopbackHTTPServer([empty, empty])
        let client = ArxivClient(server, settings: .loopback(server, pageSize: 10, maxAttempts: 2), clock: VirtualClock())
        let error = try #require(clientError { _ = try client.fetch(testingQuery, count: 20) })
        #expect(error.reason == .emptyPage(start: 0, totalResults: 214_881))
        #expect(error.attempts == 2)
        #expect(error.description.contains("no papers at start=0 although the feed reports 214881 results"))
    }

    @Test("request starts are at least the minimum interval apart (real time)")
    func minimumIntervalRealTime() throws {
        let interval = 0.25
        let server = try LoopbackHTTPServer([
            .status(503), .ok(try Fixture.data(Fixture.page0)), .ok(try Fixture.data(Fixture.page1)),
        ])
        // Each start as the client marks it (its last clock reading before calling the transport): a
        // fresh reading here would come a moment later, and a loaded machine can stretch that moment
        // more for one request than the next (a CI run measured 0.246 s for 0.25 s).
        let clock = LastReadingClock()
        let transport = RecordingTransport(ServerReachingTransport(server: server), startTime: { clock.lastUptime })
        // A zero backoff leaves the spacing entirely to the interval, retries included.
        let client = ArxivClient(
            settings: .loopback(server, pageSize: 10, interval: interval, baseDelay: 0),
            transport: transport, clock: clock)
        let papers = try client.fetch(testingQuery, count: 20)
        #expect(papers.count == 20)
        #expect(server.requests.count == 3)
        // One start per request the server saw (connections a loaded machine fails before they reach the
        // server are retried inside ServerReachingTransport, below the recording).
        let starts = transport.starts
        #expect(starts.count == 3)
        for (earlier, later) in zip(starts, starts.dropFirst()) { #expect(later - earlier >= interval) }
    }

    @Test("the client sleeps just enough to keep the interval (virtual time)")
    func minimumIntervalVirtual() throws {
        let server = try LoopbackHTTPServer([.ok(try Fixture.data(Fixture.page0)), .ok(try Fixture.data(Fixture.page1))])
        let clock = VirtualClock()
        let transport = RecordingTransport(ServerReachingTransport(server: server), clock: clock)
        let client = ArxivClient(settings: .loopback(server, pageSize: 10, interval: 3), transport: transport, clock: clock)
        _ = try client.fetch(testingQuery, count: 20)
        #expect(clock.sleeps == [3])
        #expect(transport.starts == [0, 3])
    }

    @Test("progress goes to the log callback")
    func logging() throws {
        let server = try LoopbackHTTPServer([.status(503), .ok(try Fixture.data(Fixture.page0))])
        let lines = LogLines()
        let client = ArxivClient(server, settings: .loopback(server, pageSize: 10), clock: VirtualClock(), log: { lines.append($0) })
        _ = try client.fetch(testingQuery, count: 10)
        let log = lines.all
        #expect(log.filter { $0.hasPrefix("GET \(server.url("/api/query").absoluteString)?") }.count == 2)
        #expect(log.contains { $0.contains("HTTP 503") && $0.contains("retrying in 0.5 s") })
    }
}

final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
}

/// Feeds cut from a fixture: its header (with its totalResults) around a chosen run of its entries.
enum FeedPages {
    static func entries(of name: String) throws -> [String] {
        let text = String(decoding: try Fixture.data(name), as: UTF8.self)
        return text.components(separatedBy: "<entry>").dropFirst().map { "<entry>" + $0.components(separatedBy: "</entry>")[0] + "</entry>" }
    }

    /// The fixture's text before its first entry, the entries, and the closing tag.
    static func feed(_ entries: ArraySlice<String>, header name: String = "search-testing-100-entries.xml") throws -> Data {
        let text = String(decoding: try Fixture.data(name), as: UTF8.self)
        let head = text.components(separatedBy: "<entry>")[0]
        return Data((head + entries.joined(separator: "\n") + "\n</feed>\n").utf8)
    }
}
