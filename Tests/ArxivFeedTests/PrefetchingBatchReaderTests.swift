import Foundation
import Testing
import TestSupport
@testable import ArxivFeed

@Suite("Prefetching batch reader")
struct PrefetchingBatchReaderTests {
    static func file(_ lines: [String]) throws -> URL {
        let url = try SharedData.temporaryDirectory().appendingPathComponent("papers.jsonl")
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: url)
        return url
    }

    static func record(_ n: Int) -> String {
        #"{"id": "p\#(n)", "title": "Title \#(n)", "abstract": "Abstract \#(n)", "published": "2024"}"#
    }

    @Test("batches in input order, the same records as a plain read, for sizes that divide the input and not", arguments: [1, 7, 25, 100])
    func batches(size: Int) throws {
        let url = try Self.file((0..<100).map(Self.record))
        let plain = try PaperJSONLReader.readAll(contentsOf: url)
        let batches = PrefetchingBatchReader(reader: try PaperJSONLReader(contentsOf: url), batchSize: size)
        var seen: [[Paper]] = []
        while case let batch = try batches.next(), !batch.isEmpty { seen.append(batch) }
        #expect(seen.flatMap { $0 } == plain)
        #expect(seen.dropLast().allSatisfy { $0.count == size })
        #expect(try batches.next().isEmpty)
    }

    @Test("reading further ahead, started before the first batch: the same batches", arguments: [2, 4, 50])
    func readAhead(depth: Int) throws {
        let url = try Self.file((0..<100).map(Self.record))
        let plain = try PaperJSONLReader.readAll(contentsOf: url)
        let batches = PrefetchingBatchReader(reader: try PaperJSONLReader(contentsOf: url), batchSize: 7, depth: depth)
        batches.start()
        var seen: [[Paper]] = []
        while case let batch = try batches.next(), !batch.isEmpty { seen.append(batch) }
        #expect(seen.flatMap { $0 } == plain)
        #expect(seen.count == 15 && seen.dropLast().allSatisfy { $0.count == 7 })
        #expect(try batches.next().isEmpty)
    }

    @Test("a malformed line: the batches before it come out, then its error with its line number", arguments: [1, 4])
    func errorAfterEarlierBatches(depth: Int) throws {
        var lines = (0..<30).map(Self.record)
        lines.insert("{\"id\": broken", at: 22)  // line 23, in the third batch of 10
        let url = try Self.file(lines)
        let batches = PrefetchingBatchReader(reader: try PaperJSONLReader(contentsOf: url), batchSize: 10, depth: depth)
        #expect(try batches.next().map(\.id) == (0..<10).map { "p\($0)" })
        #expect(try batches.next().map(\.id) == (10..<20).map { "p\($0)" })
        #expect {
            _ = try batches.next()
        } throws: { error in
            "\(error)".contains("papers.jsonl:23")
        }
        #expect(try batches.next().isEmpty)
    }
}
