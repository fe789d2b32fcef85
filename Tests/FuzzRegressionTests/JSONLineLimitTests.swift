import ArxivFeed
import Foundation
import Testing

/// Found by Tests/Fuzz fuzz-jsonl (the chunk-size differential): `maxLineBytes` is only checked on a
/// line that spans two reads of the input, so an over-long line is accepted when one read holds it,
/// and a line of exactly the limit ending in "\r\n" is refused when a read ends between "\r" and "\n".
/// Fault: Sources/ArxivFeed/JSONLineSplitter.swift, `withNextLine`.
@Suite("Fuzz regression: the JSON Lines line limit does not depend on chunk size")
struct JSONLineLimitTests {
    /// Reads every record of `bytes` through a pipe; returns the papers and the error that ended it.
    private func read(_ bytes: [UInt8], chunkSize: Int, maxLineBytes: Int) throws -> (papers: [Paper], error: PaperJSONLError?) {
        let pipe = Pipe()
        try pipe.fileHandleForWriting.write(contentsOf: Data(bytes))  // < 64 KiB: fits the pipe
        try pipe.fileHandleForWriting.close()
        defer { try? pipe.fileHandleForReading.close() }
        let options = PaperJSONLReader.Options(chunkSize: chunkSize, maxLineBytes: maxLineBytes)
        let reader = PaperJSONLReader(fileHandle: pipe.fileHandleForReading, source: "fuzz.jsonl", options: options)
        var papers: [Paper] = []
        do {
            while let paper = try reader.next() { papers.append(paper) }
            return (papers, nil)
        } catch let error as PaperJSONLError {
            return (papers, error)
        }
    }

    /// A valid record whose line (without its line end) is exactly `length` bytes.
    private func record(ofLength length: Int) throws -> [UInt8] {
        let bare = #"{"id":"1","title":"","abstract":"a","published":"p"}"#
        let padding = length - bare.utf8.count
        try #require(padding >= 0)
        let line = #"{"id":"1","title":""# + String(repeating: "t", count: padding) + #"","abstract":"a","published":"p"}"#
        try #require(line.utf8.count == length)
        return Array(line.utf8)
    }

    @Test("the fuzzer's reproducer reads the same with 1-byte and whole-input chunks")
    func fuzzerReproducer() throws {
        // crash-78da36cd…, minimised: option byte 0x40 (1-byte chunks, 64-byte limit) then the file.
        let input = try #require(Data(base64Encoded:
            "QMOhr3t0aW9uYWw6InAifURpYyJpZCI6IjEiAScAAgAAAGljIiIxIix0aW9uYVVuc2FmZUJ1aSI6IjEiAAAAdGwNCg=="))
        let file = Array(input.dropFirst())
        let small = try read(file, chunkSize: 1, maxLineBytes: 64)
        let whole = try read(file, chunkSize: file.count, maxLineBytes: 64)
        #expect(small.papers == whole.papers)
        #expect(small.error == whole.error)
    }

    @Test("a line over the limit is refused even when a single read holds it", arguments: [1, 7, 1 << 20])
    func overLongLineRefused(chunkSize: Int) throws {
        let line = try record(ofLength: 100) + [0x0A]
        let result = try read(line, chunkSize: chunkSize, maxLineBytes: 64)
        #expect(result.papers.isEmpty)
        #expect(result.error == .invalidLine(source: "fuzz.jsonl", line: 1, reason: "line longer than 64 bytes"))
    }

    @Test("a line of exactly the limit is accepted with CRLF as with LF", arguments: [1, 7, 1 << 20])
    func lineAtLimitAccepted(chunkSize: Int) throws {
        let line = try record(ofLength: 64)
        for lineEnd: [UInt8] in [[0x0A], [0x0D, 0x0A]] {
            let result = try read(line + lineEnd + line + lineEnd, chunkSize: chunkSize, maxLineBytes: 64)
            #expect(result.error == nil, "line end \(lineEnd)")
            #expect(result.papers.count == 2, "line end \(lineEnd)")
        }
    }
}
