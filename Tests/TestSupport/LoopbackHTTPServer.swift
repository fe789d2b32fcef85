// POSIX sockets through Glibc: the project builds and tests on Linux.
import Glibc
import Foundation

/// A tiny scripted HTTP/1.1 server on 127.0.0.1 (ephemeral port) for tests that must not touch the internet.
///
/// Each incoming request takes the next reply from the script (or asks the handler), and every connection
/// is closed after its reply. Replies can misbehave on purpose: wait before the headers, drip the body,
/// promise more body than they send, reset the connection mid-body, or close without answering.
///
/// ```swift
/// let server = try LoopbackHTTPServer([
///     .status(503),
///     .ok(try SharedData.data("fixtures/atom/search-testing-start0-max10.xml")),
/// ])
/// let url = server.url("/api/query")          // http://127.0.0.1:<port>/api/query
/// // … run the client …
/// #expect(server.requests.count == 2)
/// ```
///
/// The server stops on `stop()` or when the object is released; it never binds anything but 127.0.0.1.
public final class LoopbackHTTPServer: @unchecked Sendable {
    /// How the body of a reply is delivered.
    public enum BodyDelivery: Sendable, Equatable {
        /// All at once.
        case whole
        /// `bytes` at a time, waiting `interval` seconds before each chunk.
        case drip(bytes: Int, interval: TimeInterval)
        /// `Content-Length` announces the whole body, but only the first `afterBytes` are sent, then the
        /// connection is closed normally (FIN): a truncated response.
        case truncate(afterBytes: Int)
        /// The first `afterBytes` bytes are sent, then the connection is reset (RST via `SO_LINGER` 0).
        case reset(afterBytes: Int)
        /// `Transfer-Encoding: chunked`, the body repeated chunk after chunk until the client goes away or
        /// `maxBytes` have been sent: an endless response.
        case endless(maxBytes: Int)
        /// `Transfer-Encoding: chunked`, the body as one chunk and then the last (empty) chunk: a whole body,
        /// whatever `Content-Length` the reply's own headers claim beside it.
        case chunked

        var isChunked: Bool {
            switch self {
            case .endless, .chunked: true
            default: false
            }
        }
    }

    /// One scripted answer.
    public enum Reply: Sendable {
        /// An HTTP response, possibly with a fault in its delivery.
        case respond(Response)
        /// Read the request, then close the connection without writing a byte.
        case closeWithoutAnswer

        /// `200 OK` with `body` (Atom by default).
        public static func ok(_ body: Data, contentType: String = "application/atom+xml; charset=utf-8") -> Reply {
            .respond(Response(status: 200, headers: [("Content-Type", contentType)], body: body))
        }

        /// A response with the given status, extra headers and body.
        public static func status(
            _ status: Int, headers: [(String, String)] = [], body: Data = Data(),
            delayBeforeHeaders: TimeInterval = 0, delivery: BodyDelivery = .whole
        ) -> Reply {
            .respond(Response(status: status, headers: headers, body: body,
                              delayBeforeHeaders: delayBeforeHeaders, delivery: delivery))
        }
    }

    /// An HTTP response and how to deliver it. `Content-Length` and `Connection: close` are added unless given.
    public struct Response: @unchecked Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: Data
        /// Seconds to wait after reading the request before writing the status line.
        public var delayBeforeHeaders: TimeInterval
        public var delivery: BodyDelivery

        public init(
            status: Int, headers: [(String, String)] = [], body: Data = Data(),
            delayBeforeHeaders: TimeInterval = 0, delivery: BodyDelivery = .whole
        ) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delayBeforeHeaders = delayBeforeHeaders
            self.delivery = delivery
        }
    }

    /// A request as the server received it.
    public struct RecordedRequest: Sendable, Equatable {
        /// Zero-based arrival order.
        public let index: Int
        public let method: String
        /// The request target: path plus query, exactly as sent (still percent-encoded).
        public let target: String
        /// Header names lower-cased.
        public let headers: [String: String]
        /// When the request line had been read (wall clock).
        public let time: Date

        /// The decoded value of a query parameter, e.g. `queryValue("start") == "10"`.
        public func queryValue(_ name: String) -> String? {
            URLComponents(string: target)?.queryItems?.first { $0.name == name }?.value
        }
    }

    private let core: Core

    /// The port the server listens on (127.0.0.1 only).
    public let port: UInt16

    /// `http://127.0.0.1:<port>`.
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// `baseURL` plus `path`, e.g. `url("/api/query")`.
    public func url(_ path: String = "/") -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    /// Serves `replies` in order, one per request; once they run out, answers `500` with a note saying so.
    public convenience init(_ replies: [Reply]) throws {
        let queue = ReplyQueue(replies)
        try self.init(handler: { request in queue.next(for: request) })
    }

    /// Asks `handler` for the reply to each request (called on the connection's thread).
    public init(handler: @escaping @Sendable (RecordedRequest) -> Reply) throws {
        let (fd, port) = try Self.listenOnLoopback()
        self.port = port
        core = Core(listener: fd, handler: handler)
        let core = self.core
        let thread = Thread { core.acceptLoop() }
        thread.name = "LoopbackHTTPServer:\(port)"
        thread.start()
    }

    deinit { core.stop() }

    /// Every request received so far, in arrival order.
    public var requests: [RecordedRequest] { core.recorded() }

    /// Closes the listening socket: later connection attempts are refused. Replies in flight continue.
    public func stopListening() { core.closeListener() }

    /// Stops listening and aborts replies in flight. Idempotent.
    public func stop() { core.stop() }

    // MARK: - Socket setup

    private static func listenOnLoopback() throws -> (Int32, UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError(call: "socket", code: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { let code = errno; close(fd); throw ServerError(call: "bind", code: code) }
        guard listen(fd, 16) == 0 else { let code = errno; close(fd); throw ServerError(call: "listen", code: code) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { let code = errno; close(fd); throw ServerError(call: "getsockname", code: code) }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// A failed socket call while starting the server.
    public struct ServerError: Error, CustomStringConvertible {
        public let call: String
        public let code: Int32
        public var description: String { "LoopbackHTTPServer: \(call) failed: \(String(cString: strerror(code)))" }
    }
}

/// Hands out scripted replies in order.
private final class ReplyQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var replies: [LoopbackHTTPServer.Reply]
    private var served = 0

    init(_ replies: [LoopbackHTTPServer.Reply]) { self.replies = replies }

    func next(for request: LoopbackHTTPServer.RecordedRequest) -> LoopbackHTTPServer.Reply {
        lock.lock(); defer { lock.unlock() }
        defer { served += 1 }
        guard served < replies.count else {
            let note = "LoopbackHTTPServer: no scripted reply left for request \(served + 1) (\(request.target))"
            return .status(500, headers: [("Content-Type", "text/plain")], body: Data(note.utf8))
        }
        return replies[served]
    }
}

/// The state the server's threads share; the public object only owns it, so releasing that object stops it.
private final class Core: @unchecked Sendable {
    private let lock = NSLock()
    private let listener: Int32
    private var listening = true
    private var stopped = false
    private var requests: [LoopbackHTTPServer.RecordedRequest] = []
    private var openConnections: Set<Int32> = []
    private let handler: @Sendable (LoopbackHTTPServer.RecordedRequest) -> LoopbackHTTPServer.Reply

    init(listener: Int32, handler: @escaping @Sendable (LoopbackHTTPServer.RecordedRequest) -> LoopbackHTTPServer.Reply) {
        self.listener = listener
        self.handler = handler
    }

    var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    func recorded() -> [LoopbackHTTPServer.RecordedRequest] { lock.lock(); defer { lock.unlock() }; return requests }

    /// Stops listening (later connections are refused) by shutting the socket down, not closing it: only the
    /// accept loop closes the descriptor, so the number it polls is never reused meanwhile by another socket of
    /// this process, whose connections it would then accept and drop.
    func closeListener() {
        lock.lock(); defer { lock.unlock() }
        if listening { listening = false; shutdown(listener, Int32(SHUT_RDWR)) }
    }

    func stop() {
        closeListener()
        lock.lock(); defer { lock.unlock() }
        stopped = true
        // Wake connection threads blocked in poll; each closes its own descriptor.
        for fd in openConnections { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    /// Accepts connections until the listener is shut down, then closes it; polls so that is noticed.
    func acceptLoop() {
        while true {
            lock.lock()
            guard listening else { close(listener); lock.unlock(); return }
            let fd = listener
            lock.unlock()
            var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollFD, 1, 50)
            if ready <= 0 { continue }
            let connection = accept(fd, nil, nil)
            guard connection >= 0 else { continue }
            lock.lock()
            if stopped { close(connection); close(listener); lock.unlock(); return }
            openConnections.insert(connection)
            lock.unlock()
            let thread = Thread { [self] in
                serve(connection)
                // Forgotten and closed in one step: `stop()` shuts down what is in the set, and a descriptor
                // closed before it left the set could meanwhile be reused by another connection of this
                // process (another test's server, or the client's own socket) and be shut down by mistake.
                lock.lock(); openConnections.remove(connection); close(connection); lock.unlock()
            }
            thread.start()
        }
    }

    /// Answers one connection; the caller closes `fd`.
    private func serve(_ fd: Int32) {
        guard let head = readRequestHead(fd) else { return }
        let request = record(head)
        switch handler(request) {
        case .closeWithoutAnswer:
            return
        case .respond(let response):
            if response.delayBeforeHeaders > 0, !pause(response.delayBeforeHeaders) { return }
            guard send(fd, headerBlock(for: response)) else { return }
            let body = [UInt8](response.body)
            switch response.delivery {
            case .whole:
                _ = send(fd, body)
            case .drip(let bytes, let interval):
                var offset = 0
                while offset < body.count {
                    guard pause(interval) else { return }
                    let end = min(body.count, offset + max(1, bytes))
                    guard send(fd, Array(body[offset..<end])) else { return }
                    offset = end
                }
            case .endless(let maxBytes):
                var chunk = Array(String(body.count, radix: 16).utf8) + [13, 10]
                chunk += body + [13, 10]
                var sent = 0
                while sent < maxBytes, send(fd, chunk) { sent += body.count }
            case .chunked:
                _ = send(fd, Array(String(body.count, radix: 16).utf8) + [13, 10] + body + Array("\r\n0\r\n\r\n".utf8))
            case .truncate(let afterBytes):
                _ = send(fd, Array(body.prefix(afterBytes)))
            case .reset(let afterBytes):
                _ = send(fd, Array(body.prefix(afterBytes)))
                // The caller's close then sends a reset instead of an orderly end.
                var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            }
        }
    }

    private func headerBlock(for response: LoopbackHTTPServer.Response) -> [UInt8] {
        var lines = ["HTTP/1.1 \(response.status) \(reasonPhrase(response.status))"]
        let names = Set(response.headers.map { $0.0.lowercased() })
        for (name, value) in response.headers { lines.append("\(name): \(value)") }
        if response.delivery.isChunked {
            lines.append("Transfer-Encoding: chunked")
        } else if !names.contains("content-length") {
            lines.append("Content-Length: \(response.body.count)")
        }
        if !names.contains("connection") { lines.append("Connection: close") }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }

    private func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }

    private func record(_ head: String) -> LoopbackHTTPServer.RecordedRequest {
        let lines = head.components(separatedBy: "\r\n")
        let parts = (lines.first ?? "").split(separator: " ", maxSplits: 2).map(String.init)
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        lock.lock(); defer { lock.unlock() }
        let request = LoopbackHTTPServer.RecordedRequest(
            index: requests.count, method: parts.first ?? "", target: parts.count > 1 ? parts[1] : "",
            headers: headers, time: Date())
        requests.append(request)
        return request
    }

    /// Reads up to the blank line that ends the request head (GET requests carry no body).
    private func readRequestHead(_ fd: Int32) -> String? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let terminator: [UInt8] = [13, 10, 13, 10]
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !isStopped {
            var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pollFD, 1, 50) <= 0 { continue }
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            bytes.append(contentsOf: buffer[0..<count])
            if let end = bytes.firstRange(of: terminator) {
                return String(decoding: bytes[..<end.lowerBound], as: UTF8.self)
            }
            if bytes.count > 1 << 16 { return nil }
        }
        return nil
    }

    /// Writes everything or reports failure (peer gone); never raises SIGPIPE.
    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            if isStopped { return false }
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    /// Sleeps in short steps so `stop()` cuts a pause short; returns false when stopped.
    private func pause(_ seconds: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if isStopped { return false }
            Thread.sleep(forTimeInterval: min(0.01, max(0, deadline.timeIntervalSinceNow)))
        }
        return !isStopped
    }
}
