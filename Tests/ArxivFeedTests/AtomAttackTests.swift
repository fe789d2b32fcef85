import ArxivFeed
import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hostile XML: each attack must end in a clear `.malformed` error, read no file, open no connection,
/// and stay within the memory and CPU-time bounds stated in the test. CPU time of the parsing thread is
/// measured, not wall time, so a busy machine does not make the bound flaky.
@Suite("Atom XML attacks", .serialized)
struct AtomAttackTests {
    static let feedOpen = #"<feed xmlns="http://www.w3.org/2005/Atom">"#

    /// The `.malformed` detail for `data`, or a recorded issue.
    static func refusal(_ data: Data, limits: AtomFeedLimits = AtomFeedLimits(),
                        sourceLocation: SourceLocation = #_sourceLocation) -> String {
        malformedDetail(data, source: "attack.xml", limits: limits, sourceLocation: sourceLocation)
    }

    static func refusal(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        refusal(Data(text.utf8), sourceLocation: sourceLocation)
    }

    /// "parsed", or the error's description.
    static func outcome(_ text: String) -> String {
        do {
            _ = try AtomFeed.parse(Data(text.utf8), source: "attack.xml")
            return "parsed"
        } catch {
            return "\(error)"
        }
    }

    /// The most CPU time one attack may cost the parsing thread: generous (a refusal takes milliseconds),
    /// but far below what an expansion or a quadratic walk of these inputs would take.
    static let cpuSecondsBound = 2.0

    /// CPU time (user + system) used by the calling thread so far, in seconds.
    static func threadCPUSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        let rusageThread: Int32 = 1  // Linux's RUSAGE_THREAD, hidden from Swift behind _GNU_SOURCE
        getrusage(rusageThread, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Peak resident memory of this process so far, in bytes.
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        #if canImport(Darwin)
        return Int(usage.ru_maxrss)
        #else
        return Int(usage.ru_maxrss) * 1024
        #endif
    }

    @Test("external entity to a local file: refused, the file's text never appears")
    func externalEntityFile() throws {
        let directory = try SharedData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let secret = "SECRET-" + UUID().uuidString
        let secretFile = directory.appendingPathComponent("secret.txt")
        try Data(secret.utf8).write(to: secretFile)

        for target in [secretFile.absoluteString, "file:///etc/passwd", secretFile.path] {
            let detail = Self.refusal("""
                <?xml version="1.0"?>
                <!DOCTYPE feed [ <!ENTITY xxe SYSTEM "\(target)"> ]>
                \(Self.feedOpen)<entry><id>http://arxiv.org/abs/1</id><title>&xxe;</title><summary>&xxe;</summary>
                <published>2026-01-01T00:00:00Z</published></entry></feed>
                """)
            #expect(detail == "line 2: document carries a DTD (<!DOCTYPE>), which an arXiv feed never does")
            #expect(!detail.contains(secret) && !detail.contains("root:"))
        }
    }

    @Test("XInclude is not processed: a file include stays an ignored element")
    func xinclude() throws {
        let directory = try SharedData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let secret = "SECRET-" + UUID().uuidString
        let secretFile = directory.appendingPathComponent("secret.txt")
        try Data(secret.utf8).write(to: secretFile)
        let feed = try AtomFeed.parse(Data("""
            <feed xmlns="http://www.w3.org/2005/Atom" xmlns:xi="http://www.w3.org/2001/XInclude"><entry>
            <id>http://arxiv.org/abs/2601.00001v1</id><title>T</title>
            <summary>S<xi:include href="\(secretFile.absoluteString)" parse="text"/></summary>
            <published>2026-01-01T00:00:00Z</published></entry></feed>
            """.utf8), source: "xinclude.xml")
        #expect(feed.papers.map(\.abstract) == ["S"])
    }

    @Test("external entity and external DTD over http: refused, and no connection reaches the listener")
    func externalEntityNetwork() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let url = "http://127.0.0.1:\(listener.port)/evil"
        let attacks = [
            "<!DOCTYPE feed SYSTEM \"\(url).dtd\">\n\(Self.feedOpen)</feed>",
            "<!DOCTYPE feed [ <!ENTITY xxe SYSTEM \"\(url)\"> ]>\n\(Self.feedOpen)<title>&xxe;</title></feed>",
            "<!DOCTYPE feed [ <!ENTITY % remote SYSTEM \"\(url)\"> %remote; ]>\n\(Self.feedOpen)</feed>",
        ]
        for attack in attacks {
            #expect(Self.refusal(attack).contains("DTD"))
        }
        #expect(listener.pendingConnections() == 0)
    }

    @Test("an undeclared entity reference without a DTD is a fatal error")
    func entityWithoutDTD() {
        let detail = Self.refusal(Self.feedOpen + "\n<title>&xxe;</title></feed>")
        #expect(detail.hasPrefix("line 2, column"), "\(detail)")
        #expect(detail.contains("xxe"), "\(detail)")
    }

    @Test("billion laughs: refused at the DOCTYPE; peak memory grows by less than 32 MB, CPU time under 2 s")
    func billionLaughs() {
        var declarations = #"<!ENTITY lol0 "lol">"#
        for level in 1...9 {
            let previous = String(repeating: "&lol\(level - 1);", count: 10)
            declarations += "\n<!ENTITY lol\(level) \"\(previous)\">"
        }
        let attack = "<?xml version=\"1.0\"?>\n<!DOCTYPE feed [\n\(declarations)\n]>\n\(Self.feedOpen)<title>&lol9;</title></feed>"
        let cpuBefore = Self.threadCPUSeconds()
        let before = Self.peakResidentBytes()
        let detail = Self.refusal(attack)
        #expect(Self.peakResidentBytes() - before < 32 << 20)
        #expect(detail.contains("DTD"), "\(detail)")
        #expect(Self.threadCPUSeconds() - cpuBefore < Self.cpuSecondsBound)
    }

    @Test("100,000 nested elements: refused by the depth limit; peak memory grows by less than 64 MB, CPU time under 2 s")
    func deepNesting() {
        let depth = 100_000
        var text = Self.feedOpen
        text += String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "</feed>"
        let data = Data(text.utf8)
        let cpuBefore = Self.threadCPUSeconds()
        let before = Self.peakResidentBytes()
        let detail = Self.refusal(data)
        #expect(Self.peakResidentBytes() - before < 64 << 20)
        #expect(detail.contains("depth"), "\(detail)")
        #expect(Self.threadCPUSeconds() - cpuBefore < Self.cpuSecondsBound)
    }

    @Test("2,000,000 empty elements (8 MB): refused at the element limit; peak memory grows by less than 400 MB, CPU time under 2 s")
    func manyElements() {
        var data = Data(Self.feedOpen.utf8)
        data.append(Data(String(repeating: "<a/>", count: 2_000_000).utf8))
        data.append(Data("</feed>".utf8))
        let cpuBefore = Self.threadCPUSeconds()
        let before = Self.peakResidentBytes()
        let detail = Self.refusal(data)
        #expect(Self.peakResidentBytes() - before < 400 << 20)
        #expect(detail == "line 1: more than 1000000 nodes (elements, attributes, comments, processing instructions)")
        let small = Self.refusal(data, limits: AtomFeedLimits(maxNodes: 1_000))
        #expect(small == "line 1: more than 1000 nodes (elements, attributes, comments, processing instructions)")
        #expect(Self.threadCPUSeconds() - cpuBefore < Self.cpuSecondsBound)
    }

    @Test("one start tag with 300,000 attributes (3 MB): refused before libxml2's quadratic duplicate check, CPU time under 2 s")
    func manyAttributes() {
        let attributes = (0..<300_000).map { "a\($0)=\"\"" }.joined(separator: " ")
        let text = Self.feedOpen + "\n<entry>\n<x " + attributes + "/></entry></feed>"
        let cpuBefore = Self.threadCPUSeconds()
        #expect(Self.refusal(Data(text.utf8)) == "line 3: an element with more than 64 attributes")
        #expect(Self.threadCPUSeconds() - cpuBefore < Self.cpuSecondsBound)
        // Namespace declarations are attributes too; 64 of either pass, quoted "=" and ">" are not counted.
        let declarations = (0..<65).map { "xmlns:n\($0)=\"urn:\($0)\"" }.joined(separator: " ")
        #expect(Self.refusal(Data(("<feed xmlns=\"http://www.w3.org/2005/Atom\" " + declarations + "></feed>").utf8))
            == "line 1: an element with more than 64 attributes")
        let quoted = (0..<64).map { "a\($0)=\"x=y>z\"" }.joined(separator: " ")
        let fine = Self.outcome(Self.feedOpen + "<!-- a=b a=c --><x " + quoted + "/><![CDATA[ =a=b ]]><?p a=b?></feed>")
        #expect(fine == "parsed", "\(fine)")
    }

    @Test("comments, processing instructions and attributes count toward the node limit; memory grows by less than 400 MB")
    func nodesBesideElements() {
        let before = Self.peakResidentBytes()
        for (piece, count) in [("<?a?>", 1_200_000), ("<!---->", 1_100_000), ("<x a=\"\" b=\"\" c=\"\"/>", 300_000)] {
            let text = Self.feedOpen + String(repeating: piece, count: count) + "</feed>"
            #expect(Self.refusal(Data(text.utf8)) == "line 1: more than 1000000 nodes (elements, attributes, comments, processing instructions)", "\(piece)")
        }
        #expect(Self.peakResidentBytes() - before < 400 << 20)
    }

    @Test("text split by child elements adds up to the 1 MiB limit; so is one attribute value held to it")
    func textLimitCannotBeSplit() {
        let chunk = String(repeating: "word ", count: 100_000)  // 500 KB
        let split = Self.feedOpen + "<title>" + chunk + "<b>x</b>" + chunk + "<b>y</b>" + chunk + "</title></feed>"
        #expect(Self.refusal(Data(split.utf8)) == "line 1: text inside one element longer than \(1 << 20) bytes")
        // Children's own text counts for them, not for the parent: two 600 KB children are fine.
        let children = Self.feedOpen + "<title><b>" + chunk + "</b><b>" + chunk + "</b></title></feed>"
        #expect(Self.outcome(children) == "parsed")
        let attribute = Self.feedOpen + "<category term=\"" + String(repeating: "a", count: (1 << 20) + 1) + "\"/></feed>"
        #expect(Self.refusal(Data(attribute.utf8)) == "line 1: an attribute value longer than \(1 << 20) bytes")
    }

    @Test("line numbers past 65,535 are kept, not clamped")
    func bigLineNumbers() {
        let text = Self.feedOpen + String(repeating: "\n", count: 70_000) + "<entry><id>http://arxiv.org/abs/2601.00001v1</id></entry></feed>"
        let detail = Self.refusal(Data(text.utf8))
        #expect(detail.contains("(line 70001)") && detail.contains("<title>"), "\(detail)")
    }

    @Test("nesting within libxml2's limit but beyond ours names our limit")
    func nestingBeyondOurLimit() {
        let text = Self.feedOpen + String(repeating: "<a>", count: 40) + String(repeating: "</a>", count: 40) + "</feed>"
        #expect(Self.refusal(Data(text.utf8)) == "line 1: elements nested deeper than 32 levels")
    }

    @Test("a 100 MB text node: refused by the 64 MiB size cap, and with the cap raised by the 1 MiB text limit while parsing; peak memory grows by less than 64 MB, CPU time under 2 s")
    func hugeTextNode() {
        var data = Data(capacity: 100_000_200)
        data.append(contentsOf: (Self.feedOpen + "<title>").utf8)
        data.append(Data(repeating: UInt8(ascii: "a"), count: 100_000_000))
        data.append(contentsOf: "</title></feed>".utf8)
        let cpuBefore = Self.threadCPUSeconds()
        let before = Self.peakResidentBytes()

        let capped = Self.refusal(data)
        #expect(capped == "document is \(data.count) bytes, over the limit of \(64 << 20)")

        let uncapped = Self.refusal(data, limits: AtomFeedLimits(maxBytes: 128 << 20))
        #expect(uncapped == "line 1: text inside one element longer than \(1 << 20) bytes")
        #expect(Self.peakResidentBytes() - before < 64 << 20)
        #expect(Self.threadCPUSeconds() - cpuBefore < Self.cpuSecondsBound)
    }
}

/// A TCP socket listening on 127.0.0.1 (any free port) that never accepts, to detect connection attempts.
final class LoopbackListener {
    let descriptor: Int32
    let port: UInt16

    struct SocketError: Error, CustomStringConvertible {
        let call: String
        var description: String { "\(call) failed: errno \(errno)" }
    }

    init() throws {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw SocketError(call: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else { throw SocketError(call: "bind/listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw SocketError(call: "getsockname") }
        self.descriptor = descriptor
        port = UInt16(bigEndian: address.sin_port)
    }

    /// How many connections are waiting to be accepted (accepting them without blocking).
    func pendingConnections() -> Int {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var count = 0
        while case let client = accept(descriptor, nil, nil), client >= 0 {
            count += 1
            _ = Glibc.close(client)
        }
        return count
    }

    func close() { _ = Glibc.close(descriptor) }
}
