import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `HTTPTransport` on URLSession (libcurl on Linux), with no cache, no cookies and a hard overall deadline.
///
/// URLSession's own `timeoutInterval` only limits the silence between packets, so a server that drips one
/// byte a second would never time out; this transport also cancels the task once `timeout` has passed.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    private let session: URLSession

    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpShouldSetCookies = false
        configuration.httpMaximumConnectionsPerHost = 1
        session = URLSession(configuration: configuration)
    }

    deinit { session.invalidateAndCancel() }

    public func get(_ url: URL, headers: [String: String], timeout: TimeInterval) throws -> HTTPResponse {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "GET"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }

        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            outcome.set(data: data, response: response, error: error)
            done.signal()
        }
        task.resume()
        guard done.wait(timeout: .now() + timeout) == .success else {
            task.cancel()
            throw TransportError.timedOut(seconds: timeout)
        }
        return try outcome.result(timeout: timeout)
    }
}

/// The completion handler's arguments, handed across threads.
private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    private var response: URLResponse?
    private var error: Error?

    func set(data: Data?, response: URLResponse?, error: Error?) {
        lock.lock(); defer { lock.unlock() }
        self.data = data
        self.response = response
        self.error = error
    }

    func result(timeout: TimeInterval) throws -> HTTPResponse {
        lock.lock(); defer { lock.unlock() }
        if let error { throw Self.classify(error, timeout: timeout) }
        guard let http = response as? HTTPURLResponse else {
            throw TransportError.connectionFailed(detail: "no HTTP response")
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            headers[String(describing: name).lowercased()] = String(describing: value)
        }
        let body = data ?? Data()
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
