import ArxivClient
import Foundation
import Testing
import TestSupport

/// The test server itself, driven through the client's real transport.
@Suite("LoopbackHTTPServer")
struct LoopbackHTTPServerTests {
    let curl = CurlTransport()

    /// The real transport, retrying a connection that failed under load before the server read its request.
    func transport(_ server: LoopbackHTTPServer) -> HTTPTransport { ServerReachingTransport(curl, server: server) }

    @Test("serves the script in order and records each request")
    func scriptAndRecording() throws {
        let server = try LoopbackHTTPServer([
            .status(201, headers: [("X-Note", "first")], body: Data("one".utf8)), .ok(Data("two".utf8)),
        ])
        defer { server.stop() }
        let before = Date()
        let first = try transport(server).get(server.url("/a?x=1%202&y=%22q%22"), headers: ["X-Test": "yes"], timeout: 30)
        let second = try transport(server).get(server.url("/b"), headers: [:], timeout: 30)
        #expect(first.status == 201 && first.body == Data("one".utf8) && first.header("x-note") == "first")
        #expect(second.status == 200 && second.header("Content-Type") == "application/atom+xml; charset=utf-8")
        let requests = server.requests
        #expect(requests.map(\.target) == ["/a?x=1%202&y=%22q%22", "/b"])
        #expect(requests.map(\.index) == [0, 1])
        #expect(requests[0].queryValue("x") == "1 2" && requests[0].queryValue("y") == "\"q\"")
        #expect(requests[0].headers["x-test"] == "yes")
        #expect(requests[0].time >= before.addingTimeInterval(-1) && requests[0].time <= requests[1].time)
    }

    @Test("a dripped body arrives whole when the client is patient")
    func dripCompletes() throws {
        let body = Data((0..<200).map { UInt8($0) })
        let server = try LoopbackHTTPServer([.status(200, body: body, delivery: .drip(bytes: 50, interval: 0.01))])
        defer { server.stop() }
        #expect(try transport(server).get(server.url(), headers: [:], timeout: 30).body == body)
    }

    @Test("requests beyond the script get a 500 that says so")
    func scriptExhausted() throws {
        let server = try LoopbackHTTPServer([])
        defer { server.stop() }
        let response = try transport(server).get(server.url("/extra"), headers: [:], timeout: 30)
        #expect(response.status == 500)
        #expect(String(decoding: response.body, as: UTF8.self).contains("no scripted reply left for request 1 (/extra)"))
    }

    @Test("a handler can compute replies")
    func handler() throws {
        let server = try LoopbackHTTPServer { request in .ok(Data("#\(request.index) \(request.target)".utf8)) }
        defer { server.stop() }
        _ = try transport(server).get(server.url("/x"), headers: [:], timeout: 30)
        let response = try transport(server).get(server.url("/y"), headers: [:], timeout: 30)
        #expect(String(decoding: response.body, as: UTF8.self) == "#1 /y")
    }

    @Test("after stop, or once released, connections are refused")
    func stopRefuses() throws {
        let server = try LoopbackHTTPServer([.ok(Data("x".utf8))])
        let url = server.url()
        _ = try transport(server).get(url, headers: [:], timeout: 30)
        server.stop()
        #expect(throws: TransportError.self) { try curl.get(url, headers: [:], timeout: 30) }

        var released: LoopbackHTTPServer? = try LoopbackHTTPServer([])
        let releasedURL = try #require(released).url()
        released = nil
        #expect(throws: TransportError.self) { try curl.get(releasedURL, headers: [:], timeout: 30) }
    }
}
