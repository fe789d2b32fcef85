import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `HTTPTransport` on URLSession (libcurl on Linux), with no cache, no cookies, a hard overall deadline, a cap on
/// the body's size enforced while it streams in, and redirects followed (at most 5) only to http(s).
///
/// URLSession's own `timeoutInterval` only limits the silence between packets, so a server that drips one
/// byte a second would never time out; this transport also cancels the task once `timeout` has passed.
/// Bytes are counted as they arrive (after any `Content-Encoding` is undone), so an endless or inflating body
/// is cancelled at `maxBodyBytes`, holding at most that much in memory; an announced `Content-Length` above
/// the cap is refused before the body is read.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    /// The default cap on one response body: 64 MiB, the Atom parser's document limit.
    public static let defaultMaxBodyBytes = 64 << 20

    /// Most body bytes accepted per response.
    public let maxBodyBytes: Int
    private let session: URLSession
    private let tasks = TaskTable()

    public init(maxBodyBytes: Int = URLSessionTransport.defaultMaxBodyBytes) {
        self.maxBodyBytes = maxBodyBytes
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpShouldSetCookies = false
        configuration.httpMaximumConnectionsPerHost = 1
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        session = URLSession(configuration: configuration, delegate: SessionDelegate(tasks: tasks), delegateQueue: queue)
    }

    deinit { session.invalidateAndCancel() }

    /// Most redirects followed for one request.
    static let maxRedirects = 5

    public func get(_ url: URL, headers: [String: String], timeout: TimeInterval) throws -> HTTPResponse {
        let deadline = DispatchTime.now() + timeout
        var current = url
        for _ in 0...Self.maxRedirects {
            let response = try getOnce(current, headers: headers, timeout: timeout, deadline: deadline)
            guard [301, 302, 303, 307, 308].contains(response.status), let location = response.header("Location") else {
                return response
            }
            guard let next = URL(string: location, relativeTo: current)?.absoluteURL else {
                throw TransportError.redirectRefused(location: location)
            }
            guard ["http", "https"].contains(next.scheme?.lowercased() ?? "") else {
                throw TransportError.redirectRefused(location: next.maskingCredentials.absoluteString)
            }
            current = next
        }
        throw TransportError.connectionFailed(detail: "more than \(Self.maxRedirects) redirects")
    }

    private func getOnce(_ url: URL, headers: [String: String], timeout: TimeInterval, deadline: DispatchTime) throws -> HTTPResponse {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "GET"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")

        let transfer = Transfer(maxBodyBytes: maxBodyBytes)
        let task = session.dataTask(with: request)
        tasks.insert(transfer, for: task.taskIdentifier)
        defer { tasks.remove(task.taskIdentifier) }
        task.resume()
        guard transfer.done.wait(timeout: deadline) == .success else {
            task.cancel()
            throw TransportError.timedOut(seconds: timeout)
        }
        return try transfer.result(timeout: timeout)
    }
}

/// The transfers in flight, by task identifier, for the delegate.
private final class TaskTable: @unchecked Sendable {
    private let lock = NSLock()
    private var transfers: [Int: Transfer] = [:]

    func insert(_ transfer: Transfer, for id: Int) { lock.lock(); transfers[id] = transfer; lock.unlock() }
    func remove(_ id: Int) { lock.lock(); transfers[id] = nil; lock.unlock() }
    func transfer(_ id: Int) -> Transfer? { lock.lock(); defer { lock.unlock() }; return transfers[id] }
}

/// Receives the session's events and hands each to its transfer.
private final class SessionDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let tasks: TaskTable

    init(tasks: TaskTable) { self.tasks = tasks }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        guard let transfer = tasks.transfer(dataTask.taskIdentifier) else { return completionHandler(.cancel) }
        completionHandler(transfer.receive(response) ? .allow : .cancel)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let transfer = tasks.transfer(dataTask.taskIdentifier), transfer.append(data) else {
            dataTask.cancel()
            return
        }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        // Never followed here: `get` follows http(s) redirects itself, so that every hop is checked even where
        // URLSession would not ask (it fails a redirect to file:// as "too many HTTP redirects").
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        tasks.transfer(task.taskIdentifier)?.finish(error)
    }
}

/// One request's response as it arrives, handed across threads.
private final class Transfer: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    private let maxBodyBytes: Int
    private let lock = NSLock()
    private var response: URLResponse?
    private var body = Data()
    private var error: Error?
    /// Set when the transfer was stopped on purpose; wins over the cancellation error that follows.
    private var refusal: TransportError?
    private var finished = false

    init(maxBodyBytes: Int) { self.maxBodyBytes = maxBodyBytes }

    /// Keeps the response; false (cancel) when its announced length is already over the cap.
    func receive(_ response: URLResponse) -> Bool {
        lock.lock(); defer { lock.unlock() }
        self.response = response
        // Compression was not asked for (Accept-Encoding: identity), and libcurl inflates faster than the
        // delegate can count and cancel: a 1 MB gzip body grew to 300 MB before the cap could act. So a
        // compressed body is refused before any of it is read.
        if let http = response as? HTTPURLResponse, let encoding = http.value(forHTTPHeaderField: "Content-Encoding"),
           !["", "identity"].contains(encoding.lowercased().trimmingCharacters(in: .whitespaces)) {
            refusal = .compressedBody(encoding: encoding)
            return false
        }
        if let http = response as? HTTPURLResponse,
           let length = (http.value(forHTTPHeaderField: "Content-Length")).flatMap({ Int($0) }), length > maxBodyBytes {
            refusal = .bodyTooLarge(limit: maxBodyBytes)
            return false
        }
        return true
    }

    /// Appends a piece of the body; false (cancel) once the body passes the cap.
    func append(_ data: Data) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard refusal == nil else { return false }
        guard body.count + data.count <= maxBodyBytes else {
            refusal = .bodyTooLarge(limit: maxBodyBytes)
            body = Data()
            return false
        }
        body.append(data)
        return true
    }

    func finish(_ error: Error?) {
        lock.lock()
        let first = !finished
        finished = true
        self.error = error
        lock.unlock()
        if first { done.signal() }
    }

    func result(timeout: TimeInterval) throws -> HTTPResponse {
        lock.lock(); defer { lock.unlock() }
        if let refusal { throw refusal }
        if let error { throw Self.classify(error, timeout: timeout) }
        guard let http = response as? HTTPURLResponse else {
            throw TransportError.connectionFailed(detail: "no HTTP response")
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            headers[String(describing: name).lowercased()] = String(describing: value)
        }
        // libcurl may hand over a short body without an error; compare with the announced length
        // (only meaningful when the body was not decompressed on the way).
        if headers["content-encoding"] == nil, let announced = headers["content-length"].flatMap({ Int($0) }),
           body.count < announced {
            throw TransportError.truncatedBody(expected: announced, received: body.count)
        }
        return HTTPResponse(status: http.statusCode, headers: headers, body: body)
    }

    private static func classify(_ error: Error, timeout: TimeInterval) -> TransportError {
        if let urlError = error as? URLError, urlError.code == .timedOut { return .timedOut(seconds: timeout) }
        let text = (error as NSError).localizedDescription
        if let urlError = error as? URLError {
            return .connectionFailed(detail: "\(text) (URLError \(urlError.code.rawValue))")
        }
        return .connectionFailed(detail: text)
    }
}
