import CCurl
import Foundation

/// `HTTPTransport` on libcurl's easy interface, with real flow control: no cache, no cookies, a hard overall
/// deadline, a cap on the body that bounds memory, and redirects followed (at most 5) only to http(s).
///
/// libcurl calls the write callback synchronously on the thread that runs the transfer, and reads the next
/// network buffer only after the callback returns. So the body held is never more than `maxBodyBytes` plus one
/// buffer (16 KiB): the moment the body would pass the cap the callback refuses the piece and the transfer ends.
/// (URLSession on Linux, also libcurl underneath, read ahead of its delegate queue: an endless body under an
/// 8 MiB cap peaked at 482 MiB; see RELIABILITY.md.) An announced `Content-Length` above the cap, and a
/// `Content-Encoding` that was not asked for, are refused at the headers, before any of the body is read.
public struct CurlTransport: HTTPTransport {
    /// The default cap on one response body: 64 MiB, the Atom parser's document limit.
    public static let defaultMaxBodyBytes = 64 << 20

    /// Most redirects followed for one request.
    static let maxRedirects = 5

    /// The TCP ports a URL may name.
    public static let ports = 1...65535

    /// Whether `url` names a port no TCP connection can use: 0, above 65535, or one too long for Foundation
    /// to read (`url.port` is then nil although the authority has a port, and libcurl fails on it every attempt).
    public static func hasUnusablePort(_ url: URL) -> Bool {
        if let port = url.port { return !ports.contains(port) }
        let text = url.absoluteString
        guard let schemeEnd = text.range(of: "://") else { return false }
        var authority = text[schemeEnd.upperBound...].prefix { !"/?#".contains($0) }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if let bracket = authority.lastIndex(of: "]") { authority = authority[authority.index(after: bracket)...] }
        guard let colon = authority.lastIndex(of: ":") else { return false }
        let digits = authority[authority.index(after: colon)...]
        return !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
            && Int(digits).map { !ports.contains($0) } ?? true
    }

    /// Most body bytes accepted per response (as they arrive; a compressed body is refused, never inflated).
    public let maxBodyBytes: Int

    public init(maxBodyBytes: Int = CurlTransport.defaultMaxBodyBytes) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// Follows redirects here rather than in libcurl, so that every hop is checked and a refused one is
    /// reported with its (credential-masked) location instead of as a generic libcurl error.
    public func get(_ url: URL, headers: [String: String], timeout: TimeInterval) throws -> HTTPResponse {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, timeout) * 1e9)
        var current = url
        for _ in 0...Self.maxRedirects {
            let response = try getOnce(current, headers: headers, timeout: timeout, deadline: deadline)
            // A redirect status without a location is reported as its status.
            guard [301, 302, 303, 307, 308].contains(response.status), let location = response.header("Location"),
                  !location.allSatisfy(\.isWhitespace) else {
                return response
            }
            guard let next = URL(string: location, relativeTo: current)?.absoluteURL else {
                throw TransportError.redirectRefused(location: location)
            }
            guard ["http", "https"].contains(next.scheme?.lowercased() ?? "") else {
                throw TransportError.redirectRefused(location: next.maskingCredentials.absoluteString)
            }
            if Self.hasUnusablePort(next) {
                throw TransportError.redirectToBadPort(location: next.maskingCredentials.absoluteString)
            }
            current = next
        }
        throw TransportError.tooManyRedirects(limit: Self.maxRedirects)
    }

    /// One GET without following redirects, within what is left of `deadline` (uptime nanoseconds).
    private func getOnce(_ url: URL, headers: [String: String], timeout: TimeInterval, deadline: UInt64) throws -> HTTPResponse {
        let now = DispatchTime.now().uptimeNanoseconds
        guard now < deadline else { throw TransportError.timedOut(seconds: timeout) }
        try CurlLibrary.requireInitialised()
        guard let handle = curl_easy_init() else {
            throw TransportError.connectionFailed(detail: "libcurl could not create a transfer handle")
        }
        defer { curl_easy_cleanup(handle) }

        // Compression is never asked for: an inflating body could not be capped before it inflates.
        var headerList: UnsafeMutablePointer<curl_slist>?
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) where name.lowercased() != "accept-encoding" {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        headerList = curl_slist_append(headerList, "Accept-Encoding: identity")
        defer { curl_slist_free_all(headerList) }
        let errorText = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorText.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        defer { errorText.deallocate() }

        let transfer = CurlTransfer(maxBodyBytes: maxBodyBytes)
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        let milliseconds = max(1, Int((Double(deadline - now) / 1e6).rounded(.up)))
        let settings: [(CURLcode, String)] = [
            (ccurl_set_string(handle, CURLOPT_URL, url.absoluteString), "URL"),
            (ccurl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "PROTOCOLS_STR"),
            (ccurl_set_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"), "REDIR_PROTOCOLS_STR"),
            (ccurl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0), "FOLLOWLOCATION"),
            (ccurl_set_long(handle, CURLOPT_HTTPGET, 1), "HTTPGET"),
            // No signals: libcurl runs on whichever thread calls, beside others (its resolver is threaded).
            (ccurl_set_long(handle, CURLOPT_NOSIGNAL, 1), "NOSIGNAL"),
            // The whole transfer, connect and body included: a server dripping a byte a second still times out.
            (ccurl_set_long(handle, CURLOPT_TIMEOUT_MS, milliseconds), "TIMEOUT_MS"),
            (ccurl_set_long(handle, CURLOPT_HTTP_CONTENT_DECODING, 0), "HTTP_CONTENT_DECODING"),
            (ccurl_set_offset(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxBodyBytes)), "MAXFILESIZE_LARGE"),
            (ccurl_set_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList)), "HTTPHEADER"),
            (ccurl_set_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorText)), "ERRORBUFFER"),
            (ccurl_set_data_callback(handle, CURLOPT_HEADERFUNCTION, curlHeaderCallback), "HEADERFUNCTION"),
            (ccurl_set_pointer(handle, CURLOPT_HEADERDATA, context), "HEADERDATA"),
            (ccurl_set_data_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteCallback), "WRITEFUNCTION"),
            (ccurl_set_pointer(handle, CURLOPT_WRITEDATA, context), "WRITEDATA"),
        ]
        for (code, option) in settings where code != CURLE_OK {
            throw TransportError.connectionFailed(detail: "libcurl refused CURLOPT_\(option): \(String(cString: curl_easy_strerror(code)))")
        }

        let code = withExtendedLifetime(transfer) { curl_easy_perform(handle) }
        if let refusal = transfer.refusal { throw refusal }
        let announced = transfer.contentLength
        switch code {
        case CURLE_OK:
            break
        case CURLE_OPERATION_TIMEDOUT:
            throw TransportError.timedOut(seconds: timeout)
        case CURLE_FILESIZE_EXCEEDED:
            throw TransportError.bodyTooLarge(limit: maxBodyBytes)
        case CURLE_PARTIAL_FILE where announced.map { transfer.body.count < $0 } == true:
            throw TransportError.truncatedBody(expected: announced ?? 0, received: transfer.body.count)
        default:
            let detail = errorText.pointee != 0 ? String(cString: errorText) : String(cString: curl_easy_strerror(code))
            throw TransportError.connectionFailed(detail: "\(detail) (curl error \(code.rawValue))")
        }
        var status = 0
        guard ccurl_get_long(handle, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK, status > 0 else {
            throw TransportError.connectionFailed(detail: "no HTTP response")
        }
        if let announced, transfer.body.count < announced {
            throw TransportError.truncatedBody(expected: announced, received: transfer.body.count)
        }
        return HTTPResponse(status: status, headers: transfer.headers, body: transfer.body)
    }
}

/// libcurl's process-wide setup, done once before the first handle.
private enum CurlLibrary {
    /// Swift runs a global's initialiser exactly once, thread-safely, so `curl_global_init` (which must not race
    /// with itself or with handle creation) runs once however many transfers start at the same time.
    static let initialisation: CURLcode = ccurl_global_init()

    static func requireInitialised() throws {
        guard initialisation == CURLE_OK else {
            throw TransportError.connectionFailed(detail: "libcurl could not initialise: \(String(cString: curl_easy_strerror(initialisation)))")
        }
    }
}

/// One response as libcurl delivers it; touched only by the thread running `curl_easy_perform`.
private final class CurlTransfer {
    let maxBodyBytes: Int
    /// Header names lower-cased; a repeated header's values joined by ", ".
    private(set) var headers: [String: String] = [:]
    private(set) var body = Data()
    /// Why the transfer was stopped on purpose; wins over the write error libcurl then reports.
    private(set) var refusal: TransportError?

    init(maxBodyBytes: Int) { self.maxBodyBytes = maxBodyBytes }

    /// Takes one header line; false stops the transfer (a refusal is set).
    func header(_ line: String) -> Bool {
        let line = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            headers = [:]  // a new response (after a 1xx) starts its own header block
        } else if line.isEmpty {
            return headersEnded()
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        return true
    }

    /// The announced body length (one value, however many times the header came); nil for a chunked body,
    /// whose chunks say where it ends (RFC 9112 §6.3: `Transfer-Encoding` overrides `Content-Length`).
    var contentLength: Int? {
        guard !isChunked else { return nil }
        return headers["content-length"].flatMap { $0.split(separator: ",").first }.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// The `Transfer-Encoding` codings, lower-cased, in order.
    private var transferCodings: [String] {
        (headers["transfer-encoding"] ?? "").lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Whether the body comes in chunks, which then say where it ends, whatever `Content-Length` claims.
    private var isChunked: Bool { transferCodings.contains("chunked") }

    /// Checks the complete header block before any of the body is read.
    private func headersEnded() -> Bool {
        // Compression was not asked for (Accept-Encoding: identity), and its inflated size is unknown.
        if let encoding = headers["content-encoding"], !["", "identity"].contains(encoding.lowercased()) {
            refusal = .compressedBody(encoding: encoding)
            return false
        }
        if let coding = transferCodings.first(where: { !["", "chunked", "identity"].contains($0) }) {
            refusal = .compressedBody(encoding: coding, header: "Transfer-Encoding")
            return false
        }
        // Repeated Content-Length headers arrive joined ("10, 2345"): libcurl trusts the first, so a server
        // that disagrees with itself would pass a cut body as whole (RFC 9110 §8.6: an error).
        let lengths = Set((headers["content-length"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        if lengths.count > 1, !isChunked {
            refusal = .conflictingLengths(values: lengths.sorted())
            return false
        }
        if let length = contentLength, length > maxBodyBytes {
            refusal = .bodyTooLarge(limit: maxBodyBytes)
            return false
        }
        return true
    }

    /// Takes one piece of the body; false stops the transfer once the body would pass the cap.
    func append(_ piece: UnsafeRawBufferPointer) -> Bool {
        guard refusal == nil else { return false }
        guard body.count + piece.count <= maxBodyBytes else {
            refusal = .bodyTooLarge(limit: maxBodyBytes)
            body = Data()
            return false
        }
        body.append(contentsOf: piece)
        return true
    }
}

/// libcurl's header callback: one header line per call. Returning less than the size given stops the transfer.
private let curlHeaderCallback: ccurl_data_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
    return transfer.header(line) ? size * count : 0
}

/// libcurl's write callback: one piece of the body per call, synchronously, before libcurl reads more.
private let curlWriteCallback: ccurl_data_callback = { data, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.append(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
}
