import Foundation
import Testing
import TestSupport

/// `fetch` against a hostile server holds bounded memory: the body cap bounds what the process holds, not
/// only what it keeps. Each run is a child process whose peak resident memory the kernel reports (`wait4`,
/// through a small python3 parent: see `runMeasuringPeakMemory`), so the bound does not depend on timing or
/// on other tests. Figures: RELIABILITY.md.
@Suite("downloads hold bounded memory")
struct DownloadMemoryTests {
    static let capMiB = 8
    /// Room for the process itself beside the capped body: a debug `fetch` that downloads nothing peaks near
    /// 36 MiB. Before the libcurl transport, an endless body under an 8 MiB cap peaked at 4.5 GiB.
    static let headroomMiB = 64

    /// Runs `fetch` against `server` with an 8 MiB cap, off the test threads, measuring the child's peak.
    /// Spare attempts: a loopback connection that fails under load before reaching the server is retried.
    static func fetch(_ server: LoopbackHTTPServer, _ scratch: Scratch) async throws -> MeasuredProcessResult {
        let arguments = [
            "fetch", "--endpoint", server.url("/api/query").absoluteString, "--query", "all:testing", "--request-interval", "0",
            "--timeout", "120", "--attempts", "3", "--max-results", "10", "--max-response-mib", "\(capMiB)",
            "--output", scratch.path("p.jsonl"),
        ]
        let binary = try ProcessRunner.arxivDigestBinary()
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try ProcessRunner.runMeasuringPeakMemory(binary, arguments) })
            }
        }
    }

    static func expectBounded(_ run: MeasuredProcessResult, sourceLocation: SourceLocation = #_sourceLocation) {
        let bound = Double(capMiB + headroomMiB)
        #expect(run.peakResidentMiB < bound, "peak RSS \(run.peakResidentMiB) MiB, bound \(bound) MiB", sourceLocation: sourceLocation)
    }

    @Test("an endless chunked body: stopped at the 8 MiB cap with a clear error, peak memory under cap + 64 MiB")
    func endlessBody() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let chunk = Data(repeating: UInt8(ascii: "x"), count: 64 << 10)
        // Up to 4 GiB would be sent, far more than the headroom: only the cap can end this run early.
        let server = try LoopbackHTTPServer(handler: { _ in
            .status(200, headers: [("Content-Type", "application/atom+xml")], body: chunk, delivery: .endless(maxBytes: 4 << 30))
        })
        defer { server.stop() }
        let run = try await Self.fetch(server, scratch)
        #expect(run.result.status == 1, CLI.describe(run.result))
        #expect(run.result.stderrText.contains("over the limit of \(Self.capMiB << 20) bytes"), CLI.describe(run.result))
        #expect(server.requests.count == 1, "a body over the cap is not retried")
        #expect(try scratch.listing().isEmpty)
        Self.expectBounded(run)
    }

    @Test("a gzip bomb (256 MiB inflated) sent as Content-Encoding: refused at its headers, peak memory under cap + 64 MiB")
    func gzipBomb() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let gzip = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "head -c 268435456 /dev/zero | tr '\\\\0' ' ' | gzip -1"])
        try #require(gzip.status == 0 && gzip.stdout.count < 4 << 20, "gzip failed: \(gzip.stderrText)")
        let server = try LoopbackHTTPServer(handler: { _ in
            .status(200, headers: [("Content-Type", "application/atom+xml"), ("Content-Encoding", "gzip")], body: gzip.stdout)
        })
        defer { server.stop() }
        let run = try await Self.fetch(server, scratch)
        #expect(run.result.status == 1, CLI.describe(run.result))
        #expect(run.result.stderrText.contains("a compressed body (Content-Encoding gzip) that was not asked for"), CLI.describe(run.result))
        #expect(server.requests.first?.headers["accept-encoding"] == "identity")
        #expect(try scratch.listing().isEmpty)
        Self.expectBounded(run)
    }
}
