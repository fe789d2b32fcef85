// libFuzzer target: the JSON Lines paper reader on arbitrary bytes.
//
// The first input byte picks the reader options (chunk size 1…190 bytes, a 64-byte or 64 KiB line
// limit, skipping invalid lines or not);
// the rest is the file. Contract checked:
// - `PaperJSONLReader` yields papers and then ends or throws `PaperJSONLError` (nothing else, no crash);
// - the result does not depend on the chunk size: a tiny chunk and one larger than the whole input
//   read the same papers, the same error and the same count of skipped lines (chunk boundaries are
//   invisible);
// - every paper read is written back by `PaperJSONLWriter` as one line that reads back equal.
import ArxivFeed
import Foundation

/// Pipes hold 64 KiB on Linux, so an input up to this size is written whole before it is read
/// (fuzz.sh passes -max_len=16384). A pipe rather than a file: no fsync, no file system, and the
/// reader sees a stream, as with `arxiv-digest … < papers.jsonl`.
private let pipeCapacity = 60_000

private struct Outcome: Equatable {
    var papers: [Paper] = []
    var error: PaperJSONLError?
    var skipped = 0
    var firstSkipped: PaperJSONLError?
}

private func readAll(_ body: Data, chunkSize: Int, maxLineBytes: Int, skipInvalid: Bool) -> Outcome {
    var outcome = Outcome()
    let pipe = Pipe()
    defer { try? pipe.fileHandleForReading.close() }
    do {
        try pipe.fileHandleForWriting.write(contentsOf: body)
        try pipe.fileHandleForWriting.close()
    } catch {
        fatalError("cannot fill the pipe: \(error)")
    }
    let options = PaperJSONLReader.Options(skipInvalidLines: skipInvalid, chunkSize: chunkSize, maxLineBytes: maxLineBytes)
    let reader = PaperJSONLReader(fileHandle: pipe.fileHandleForReading, source: "fuzz.jsonl", options: options)
    do {
        while let paper = try reader.next() { outcome.papers.append(paper) }
    } catch let error as PaperJSONLError {
        guard !error.description.isEmpty else { fatalError("PaperJSONLError with an empty description") }
        outcome.error = error
    } catch {
        fatalError("PaperJSONLReader threw an untyped error: \(error)")
    }
    outcome.skipped = reader.invalidLineCount
    outcome.firstSkipped = reader.firstInvalidLine
    return outcome
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1, size <= pipeCapacity else { return 0 }
    let control = data[0]
    let body = Data(bytes: data + 1, count: size - 1)

    let skipInvalid = control & 0x80 != 0
    let maxLineBytes = control & 0x40 != 0 ? 64 : 1 << 16
    let small = readAll(body, chunkSize: 1 + Int(control & 0x3F) * 3, maxLineBytes: maxLineBytes, skipInvalid: skipInvalid)
    let large = readAll(body, chunkSize: size, maxLineBytes: maxLineBytes, skipInvalid: skipInvalid)
    if small != large {
        fatalError("chunk size changed the result:\n\(small)\nversus\n\(large)")
    }
    let decoder = JSONDecoder()
    for paper in large.papers {
        let line = PaperJSONLWriter.line(for: paper)
        let newlines = line.utf8.filter { $0 == UInt8(ascii: "\n") }.count
        if newlines != 1 || line.utf8.last != UInt8(ascii: "\n") {
            fatalError("PaperJSONLWriter did not write exactly one line: \(line.debugDescription)")
        }
        guard let again = try? decoder.decode(Paper.self, from: Data(line.utf8)), again == paper else {
            fatalError("paper does not survive a write/read round trip: \(line)")
        }
    }
    return 0
}
