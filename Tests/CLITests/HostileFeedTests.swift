import Foundation
import Testing
import TestSupport

/// Feeds crafted to attack an XML parser, through `fetch` and `digest`: each is refused with a message
/// naming the file, nothing local leaks, and the output file stays as it was.
@Suite("hostile feeds")
struct HostileFeedTests {
    static let entryTail = "<summary>x</summary><published>2026-02-01T00:00:00Z</published></entry></feed>\n"
    static let feedHead = "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"

    static func expectRefused(_ name: String, _ scratch: Scratch, mentioning fragments: [String]) throws {
        for command in [["fetch"], ["digest", "--classifier", "keywords"]] {
            try BadInputTests.expectRejected(command + ["--feed", scratch.path(name)], in: scratch, mentioning: [name] + fragments)
        }
    }

    @Test("an external entity (XXE) is not resolved")
    func externalEntity() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("secret.txt", "SECRET-TOKEN-4711\n")
        try scratch.write("xxe.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE feed [<!ENTITY secret SYSTEM "\(scratch.url("secret.txt").absoluteString)">]>
            <feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2602.00001v1</id><title>&secret;</title>
            """ + Self.entryTail)
        try Self.expectRefused("xxe.xml", scratch, mentioning: ["line 2"])
        let result = try CLI.run(["fetch", "--feed", scratch.path("xxe.xml")])
        #expect(!result.stdoutText.contains("SECRET-TOKEN") && !result.stderrText.contains("SECRET-TOKEN"))
    }

    @Test("exponential entity expansion (billion laughs) is refused quickly")
    func billionLaughs() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var entities = "<!ENTITY lol0 \"lol\">"
        for level in 1...10 {
            entities += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
        }
        try scratch.write("laughs.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE feed [\(entities)]>\n"
            + "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>http://arxiv.org/abs/2602.00001v1</id><title>&lol10;</title>"
            + Self.entryTail)
        try Self.expectRefused("laughs.xml", scratch, mentioning: [])
    }

    @Test("100,000 nested elements: a clean error, not a crash")
    func deepNesting() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("deep.xml", Self.feedHead + String(repeating: "<a>", count: 100_000)
            + String(repeating: "</a>", count: 100_000) + "</feed>\n")
        try Self.expectRefused("deep.xml", scratch, mentioning: ["line 2"])
    }

    @Test("a 20 MB title: refused without holding it all")
    func hugeTextNode() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("huge.xml", Self.feedHead + "<entry><id>http://arxiv.org/abs/2602.00001v1</id><title>"
            + String(repeating: "A", count: 20_000_000) + "</title>" + Self.entryTail)
        try Self.expectRefused("huge.xml", scratch, mentioning: [])
    }

    @Test("a character reference to U+0000")
    func nulCharacterReference() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("nul.xml", Self.feedHead + "<entry><id>http://arxiv.org/abs/2602.00001v1</id><title>a &#0; b</title>" + Self.entryTail)
        try Self.expectRefused("nul.xml", scratch, mentioning: ["line 2"])
    }

    @Test("an empty file and a lone byte", arguments: ["", "<"])
    func nearlyEmpty(content: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("tiny.xml", content)
        try Self.expectRefused("tiny.xml", scratch, mentioning: [])
    }
}
