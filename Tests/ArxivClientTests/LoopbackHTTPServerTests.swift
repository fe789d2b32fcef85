import ArxivClient
import Foundation
import Testing
import TestSupport

/// The test server itself, driven through the client's real transport.
@Suite("LoopbackHTTPServer")
struct LoopbackHTTPServerTests {
    let transport = CurlTransport()

    @Test("serves the script in order and records each request")
    func scriptAndRecording() throws {
        let server = try LoopbackHTTPServer([
            .status(201, headers: [("X-Note", "first")], body: Data("one".utf8)), .ok(Data("two".utf8)),
        ])
        let before = Date()
        let first = try transport.get(server.url("/a?x=1%202&y=%22q%22"), headers: ["X-Test": "yes"], timeout: 2)
        let second = try transport.get(server.url("/b"), headers: [:], timeout: 2)
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
        #expect(try transport.get(server.url(), headers: [:], timeout: 5).body == body)
    }

    @Test("requests beyond the script get a 500 that says so")
    func scriptExhausted() throws {
        let server = try LoopbackHTTPServer([])
        let response = try transport.get(server.url("/extra"), headers: [:], timeout: 2)
        #expect(response.status == 500)
        #expect(String(decoding: response.body, as: UTF8.self).contains("no scripted reply left for request 1 (/extra)"))
    }

    @Test("a handler can compute replies")
    func handler() throws {
        let server = try LoopbackHTTPServer { request in .ok(Data("#\(request.index) \(request.target)".utf8)) }
        _ = try transport.get(server.url("/x"), headers: [:], timeout: 2)
        let response = try transport.get(server.url("/y"), headers: [:], timeout: 2)
        #expect(String(decoding: response.body, as: UTF8.self) == "#1 /y")
    }

    @Test("after stop, or once released, connections are refused")
    func stopRefuses() throws {
        let server = try LoopbackHTTPServer([.ok(Data("x".utf8))])
        let url = server.url()
        _ = try transport.get(url, headers: [:], timeout: 2)
        server.stop()
        #expect(throws: TransportError.self) { try transport.get(url, headers: [:], timeout: 2) }

        var released: LoopbackHTTPServer? = try LoopbackHTTPServer([])
        let releasedURL = try #require(released).url()
        released = nil
        #expect(throws: TransportError.self) { try transport.get(releasedURL, headers: [:], timeout: 2) }
    }
}
