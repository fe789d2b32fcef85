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

/// The real clock, remembering the last `uptime` it returned: the client reads it to mark a request's
/// start right before calling its transport, so a transport can record that very mark.
final class LastReadingClock: ClientClock, @unchecked Sendable {
    private let system = SystemClock()
    private let lock = NSLock()
    private var last: TimeInterval = 0

    var uptime: TimeInterval {
        let reading = system.uptime
        lock.lock(); last = reading; lock.unlock()
        return reading
    }
    var lastUptime: TimeInterval { lock.lock(); defer { lock.unlock() }; return last }
    var now: Date { system.now }
    func sleep(seconds: TimeInterval) { system.sleep(seconds: seconds) }
}

/// Wraps a transport and notes when each request started: by default a reading of the client's clock.
final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    private let inner: HTTPTransport
    private let startTime: () -> TimeInterval
    private let lock = NSLock()
    private var recordedStarts: [TimeInterval] = []

    init(_ inner: HTTPTransport = CurlTransport(), startTime: @escaping () -> TimeInterval) {
        self.inner = inner
        self.startTime = startTime
    }

    convenience init(_ inner: HTTPTransport = CurlTransport(), clock: ClientClock) {
        self.init(inner, startTime: { clock.uptime })
    }

    var starts: [TimeInterval] { lock.lock(); defer { lock.unlock() }; return recordedStarts }

    func get(_ url: URL, headers: [String: String], timeout: TimeInterval) throws -> HTTPResponse {
        let start = startTime()
        lock.lock(); recordedStarts.append(start); lock.unlock()
        return try inner.get(url, headers: headers, timeout: timeout)
    }
}

/// Wraps a transport so that a connection which failed before the loopback server read its request is tried
/// again inside one client attempt. On a loaded machine a loopback connect can fail (or the server thread can
/// miss its read deadline) without the server ever seeing the request; the client is right to retry that, but a
/// test that counts attempts, sleeps or request starts means the requests the server answered, so such
/// failures are hidden here. Failures the server did see (a reset, a close without an answer) pass through.
final class ServerReachingTransport: HTTPTransport, @unchecked Sendable {
    private let inner: HTTPTransport
    private let server: LoopbackHTTPServer
    /// Connections that never reached the server, retried within one attempt before giving up.
    static let unseenFailureLimit = 20

    init(_ inner: HTTPTransport = CurlTransport(), server: LoopbackHTTPServer) {
        self.inner = inner
        self.server = server
    }

    func get(_ url: URL, headers: [String: String], timeout: TimeInterval) throws -> HTTPResponse {
        var unseen = 0
        while true {
            let before = server.requests.count
            do {
                return try inner.get(url, headers: headers, timeout: timeout)
            } catch TransportError.connectionFailed(let detail) where server.requests.count == before {
                unseen += 1
                if unseen >= Self.unseenFailureLimit { throw TransportError.connectionFailed(detail: detail) }
            }
        }
    }
}

extension ArxivClient {
    /// A client of `server` whose attempts are the requests the server saw (see `ServerReachingTransport`).
    convenience init(_ server: LoopbackHTTPServer, settings: Settings, clock: ClientClock, log: (@Sendable (String) -> Void)? = nil) {
        self.init(settings: settings, transport: ServerReachingTransport(server: server), clock: clock, log: log)
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
