import ArxivClient
import ArxivFeed
import Foundation
import TestSupport

/// A clock whose time only moves when the client sleeps: backoff and spacing cost no real time,
/// and every requested sleep is recorded.
final class VirtualClock: ClientClock, @unchecked Sendable {
    private let lock = NSLock()
    private var elapsed: TimeInterval = 0
    private var recordedSleeps: [TimeInterval] = []
    let origin = Date(timeIntervalSince1970: 1_780_000_000)

    var uptime: TimeInterval { lock.lock(); defer { lock.unlock() }; return elapsed }
    var now: Date { origin.addingTimeInterval(uptime) }
    var sleeps: [TimeInterval] { lock.lock(); defer { lock.unlock() }; return recordedSleeps }

    func sleep(seconds: TimeInterval) {
        lock.lock(); defer { lock.unlock() }
        recordedSleeps.append(seconds)
        if seconds > 0 { elapsed += seconds }
    }
}

/// Wraps a transport and notes when each request started, on the client's clock.
final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    private let inner: HTTPTransport
    private let clock: ClientClock
    private let lock = NSLock()
    private var recordedStarts: [TimeInterval] = []

    init(_ inner: HTTPTransport = URLSessionTransport(), clock: ClientClock) {
        self.inner = inner
        self.clock = clock
    }

    var starts: [TimeInterval] { lock.lock(); defer { lock.unlock() }; return recordedStarts }

    func get(_ url: URL, headers: [String: String], timeout: TimeInterval) throws -> HTTPResponse {
        lock.lock(); recordedStarts.append(clock.uptime); lock.unlock()
        return try inner.get(url, headers: headers, timeout: timeout)
    }
}

enum Fixture {
    static func data(_ name: String) throws -> Data { try SharedData.data("fixtures/atom/\(name)") }
    static func feed(_ name: String) throws -> AtomFeed { try AtomFeed.parse(data(name), source: name) }
    static let page0 = "search-testing-start0-max10.xml"
    static let page1 = "search-testing-start10-max10.xml"
}

extension ArxivClient.Settings {
    /// Settings for a loopback server: no spacing, quick retries without jitter, and a timeout no scripted
    /// reply should reach even on a loaded CI machine (tests of timeouts pass their own).
    static func loopback(
        _ server: LoopbackHTTPServer, pageSize: Int = 2000, interval: TimeInterval = 0,
        timeout: TimeInterval = 30, maxAttempts: Int = 3, baseDelay: TimeInterval = 0.5,
        maxRetryAfter: TimeInterval = 120, jitter: RetryPolicy.Jitter = .none
    ) -> Self {
        ArxivClient.Settings(
            endpoint: server.url("/api/query"), pageSize: pageSize, minimumRequestInterval: interval,
            requestTimeout: timeout,
            retry: RetryPolicy(maxAttempts: maxAttempts, baseDelay: baseDelay, maxDelay: 60,
                               maxRetryAfter: maxRetryAfter, jitter: jitter))
    }
}

/// The query the arxiv.py fixtures were recorded with.
let testingQuery = ArxivQuery(searchQuery: "testing", sortBy: .relevance, sortOrder: .descending)

/// Runs `body` and returns the `ArxivClientError` it throws (nil when it throws nothing or something else).
func clientError(_ body: () throws -> Void) -> ArxivClientError? {
    do { try body() } catch let error as ArxivClientError { return error } catch { return nil }
    return nil
}
