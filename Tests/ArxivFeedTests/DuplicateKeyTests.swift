import ArxivFeed
import Foundation
import Testing

@Suite("duplicate JSON keys")
struct DuplicateKeyTests {
    static func read(_ text: String, skip: Bool = false) throws -> (papers: [Paper], reader: PaperJSONLReader) {
        let pipe = Pipe()
        pipe.fileHandleForWriting.write(Data(text.utf8))
        try pipe.fileHandleForWriting.close()
        let reader = PaperJSONLReader(fileHandle: pipe.fileHandleForReading, source: "t.jsonl",
                                      options: .init(skipInvalidLines: skip))
        return (try reader.readAll(), reader)
    }

    @Test("a repeated key is an error naming the line and the key", arguments: [
        (#"{"id": "1", "title": "a", "abstract": "b", "published": "2026-01-01T00:00:00Z", "title": "c"}"#, "title"),
        (#"{"id": "1", "title": "a", "abstract": "b", "published": "2026-01-01T00:00:00Z", "i\u0064": "2"}"#, "id"),
        (#"{"id": "1", "title": "a", "abstract": "b", "published": "2026-01-01T00:00:00Z", "extra": 1, "extra": 2}"#, "extra"),
    ])
    func repeated(line: String, key: String) throws {
        let text = #"{"id": "0", "title": "ok", "abstract": "fine", "published": "2026-01-01T00:00:00Z"}"# + "\n" + line + "\n"
        #expect(throws: PaperJSONLError.invalidLine(source: "t.jsonl", line: 2, reason: "key \"\(key)\" appears twice in one object")) {
            _ = try Self.read(text)
        }
    }

    @Test("the same key in different objects, in strings and in arrays is fine")
    func notDuplicates() throws {
        let line = #"{"id": "1", "title": "\"id\": x", "abstract": "b", "published": "2026-01-01T00:00:00Z", "authors": ["id", "id"], "x": {"id": 1}, "y": [{"k": 1}, {"k": 2}]}"#
        let (papers, _) = try Self.read(line + "\n")
        #expect(papers.map(\.id) == ["1"])
    }

    @Test("gzip data is refused with \"decompress first\" even when skipping invalid lines")
    func gzip() throws {
        let pipe = Pipe()
        pipe.fileHandleForWriting.write(Data([0x1F, 0x8B, 0x08, 0x00, 0x0A]))
        try pipe.fileHandleForWriting.close()
        let reader = PaperJSONLReader(fileHandle: pipe.fileHandleForReading, source: "p.jsonl.gz", options: .init(skipInvalidLines: true))
        #expect(throws: PaperJSONLError.unreadable(source: "p.jsonl.gz", reason: "gzip-compressed data; decompress it first (gunzip -k p.jsonl.gz)")) {
            _ = try reader.next()
        }
    }
}
