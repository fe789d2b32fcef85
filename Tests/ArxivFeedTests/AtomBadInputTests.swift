import ArxivFeed
import Foundation
import Testing
import TestSupport

/// Input that is not a complete arXiv feed must give `.malformed` naming the source and the place.
@Suite("Atom bad input")
struct AtomBadInputTests {
    static let atomOpen = #"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">"#

    static func malformedDetail(_ data: Data, limits: AtomFeedLimits = AtomFeedLimits(),
                                sourceLocation: SourceLocation = #_sourceLocation) -> String {
        ArxivFeedTests.malformedDetail(data, source: "input.xml", limits: limits, sourceLocation: sourceLocation)
    }

    static func malformedDetail(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        malformedDetail(Data(text.utf8), sourceLocation: sourceLocation)
    }

    @Test("mismatched tags: the error names libxml2's line and column")
    func notWellFormed() {
        let detail = Self.malformedDetail(Self.atomOpen + "\n<entry>\n<title>x</titel>\n</entry></feed>")
        #expect(detail.hasPrefix("line 3, column"), "\(detail)")
        #expect(detail.contains("mismatch"), "\(detail)")
        #expect(!detail.contains("cut short"), "\(detail)")
        // Also when the mismatch is on the last line, at the very end.
        let atEnd = Self.malformedDetail(Self.atomOpen + "\n<bogus>\n</feed>")
        #expect(atEnd.contains("mismatch") && !atEnd.contains("cut short"), "\(atEnd)")
    }

    @Test("every truncation of a real feed is an error, never a partial feed")
    func truncated() throws {
        let data = try SharedData.data("fixtures/atom/search-testing-start0-max10.xml")
        for fraction in [0.01, 0.1, 0.5, 0.9, 0.999] {
            let cut = data.prefix(Int(Double(data.count) * fraction))
            // Its own error case, so that a client knows asking again may help (a malformed feed would not).
            let error = #expect(throws: AtomFeedError.self) { try AtomFeed.parse(Data(cut), source: "input.xml") }
            guard case .cutShort(let source, let detail)? = error else {
                Issue.record("fraction \(fraction): expected .cutShort, got \(String(describing: error))")
                continue
            }
            #expect(source == "input.xml")
            #expect(detail.hasPrefix("line "), "\(detail)")
            // libxml2 says what it expected at the end; the message adds that the end came early.
            #expect(detail.contains("still open: was it cut short (an interrupted download)?"), "\(detail)")
            #expect(error?.description == "input.xml: " + detail)
        }
        #expect(Self.malformedDetail(Data()) == "empty document")
    }

    @Test("UTF-16 text, gzip data and white space alone are named as such, not as libxml2's \"Document is empty\"")
    func unreadableKinds() throws {
        let feed = try SharedData.data("fixtures/atom/id-1605.08386-multi-category.xml")
        let text = try #require(String(data: feed, encoding: .utf8))
        for encoding in [String.Encoding.utf16LittleEndian, .utf16BigEndian, .utf16] {
            let detail = Self.malformedDetail(try #require(text.data(using: encoding)))
            #expect(detail.hasPrefix("the document is UTF-16 text"), "\(encoding): \(detail)")
        }
        let gzip = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "gzip -c"], input: feed)
        try #require(gzip.status == 0)
        #expect(Self.malformedDetail(gzip.stdout) == "the document is gzip-compressed data, not XML; decompress it first")
        #expect(Self.malformedDetail(Data(" \n\t\r\n".utf8)) == "the document holds only white space")
    }

    @Test("invalid UTF-8 is reported as such, with its line")
    func invalidUTF8() throws {
        var data = try SharedData.data("fixtures/atom/id-1605.08386-multi-category.xml")
        let title = try #require(data.firstRange(of: Data("Heat-bath".utf8)))
        data.replaceSubrange(title.lowerBound..<title.lowerBound + 1, with: [0xC3, 0x28])  // bad 2-byte sequence
        let detail = Self.malformedDetail(data)
        #expect(detail.contains("invalid UTF-8"), "\(detail)")
        #expect(detail.hasPrefix("line 12, column 12:"), "\(detail)")  // the <title> line
    }

    @Test("an HTML error page is not a feed")
    func htmlPage() {
        let detail = Self.malformedDetail("<html><head><title>503 Service Unavailable</title></head><body><p>Retry later</p></body></html>")
        #expect(detail == "root element is <html> (no namespace), expected <feed> in namespace http://www.w3.org/2005/Atom")
        let withDoctype = Self.malformedDetail("<!DOCTYPE html>\n<html><body>Rate limited</body></html>")
        #expect(withDoctype.contains("DTD"), "\(withDoctype)")
    }

    @Test("a <feed> in another namespace (Atom 0.3) is refused")
    func wrongNamespace() {
        let detail = Self.malformedDetail(#"<feed xmlns="http://purl.org/atom/ns#"><entry/></feed>"#)
        #expect(detail.contains("root element is <feed> in namespace http://purl.org/atom/ns#"), "\(detail)")
    }

    /// A real ten-entry feed whose third entry has its `<field>…</field>` replaced by `replacement`.
    static func realFeed(replacingInThirdEntry field: String, with replacement: String) throws -> String {
        let text = String(decoding: try SharedData.data("fixtures/atom/search-testing-start0-max10.xml"), as: UTF8.self)
        let entries = text.components(separatedBy: "<entry>")
        var third = entries[3]
        let open = try #require(third.range(of: "<\(field)>"))
        let close = try #require(third.range(of: "</\(field)>"))
        third.replaceSubrange(open.lowerBound..<close.upperBound, with: replacement)
        return (entries[0..<3] + [third] + entries[4...]).joined(separator: "<entry>")
    }

    @Test("a missing required field names the entry and the field", arguments: ["id", "title", "summary", "published"])
    func missingField(field: String) throws {
        // Remove the field from the third entry only.
        let detail = Self.malformedDetail(try Self.realFeed(replacingInThirdEntry: field, with: ""))
        #expect(detail.hasPrefix("entry 3 (line "), "\(detail)")
        #expect(detail.hasSuffix("missing required field <\(field)>"), "\(detail)")
    }

    @Test("an empty or blank title is refused like a missing one (a digest would show an invisible link)",
          arguments: ["<title></title>", "<title/>", "<title>  \n\t </title>", "<title>\u{3000}</title>"])
    func emptyTitle(element: String) throws {
        let detail = Self.malformedDetail(try Self.realFeed(replacingInThirdEntry: "title", with: element))
        #expect(detail.hasPrefix("entry 3 (line "), "\(detail)")
        #expect(detail.hasSuffix("field <title> is empty"), "\(detail)")
    }

    @Test("an entry id that is not an arXiv abs URL is refused")
    func foreignEntryID() {
        let detail = Self.malformedDetail(Self.atomOpen + """
            <entry><id>urn:uuid:1</id><title>T</title><summary>S</summary><published>2026-01-01T00:00:00Z</published></entry></feed>
            """)
        #expect(detail.contains("entry 1") && detail.contains("<id>") && detail.contains("urn:uuid:1"), "\(detail)")
    }

    @Test("a non-numeric opensearch:totalResults is refused")
    func badOpenSearch() {
        let detail = Self.malformedDetail(Self.atomOpen + "<opensearch:totalResults>many</opensearch:totalResults></feed>")
        #expect(detail == #"line 1: opensearch:totalResults is not an integer: "many""#)
    }

    @Test("two threads parse at once and get the same result as one")
    func concurrentParsing() throws {
        let data = try SharedData.data("fixtures/atom/search-testing-100-entries.xml")
        let expected = try AtomFeed.parse(data, source: "a")
        let results = UnsafeMutableBufferPointer<AtomFeed?>.allocate(capacity: 8)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            results[index] = try? AtomFeed.parse(data, source: "a")
        }
        #expect(results.allSatisfy { $0 == expected })
    }
}
