// libFuzzer target: the Atom parser on arbitrary bytes.
//
// Contract checked:
// - `AtomFeed.parse` returns a feed or throws `AtomFeedError` (never another error, never a crash,
//   never a hang), with the default limits and with tight ones;
// - limits only ever refuse: when the tight parse succeeds, it gives the same feed as the default;
// - every paper has a non-empty id (the reader's own rule: an entry id that names no paper is an
//   error) and a non-empty publication date;
// - every paper survives a JSON Lines round trip.
import ArxivFeed
import Foundation

/// Small enough that fuzzed documents reach each limit.
private let tightLimits = AtomFeedLimits(maxBytes: 16_384, maxDepth: 6, maxNodes: 200, maxTextBytes: 512)

private func parse(_ bytes: Data, limits: AtomFeedLimits) -> AtomFeed? {
    do {
        return try AtomFeed.parse(bytes, source: "fuzz.xml", limits: limits)
    } catch let error as AtomFeedError {
        guard !error.description.isEmpty else { fatalError("AtomFeedError with an empty description") }
        return nil
    } catch {
        fatalError("AtomFeed.parse threw an untyped error: \(error)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    let tight = parse(bytes, limits: tightLimits)
    guard let feed = parse(bytes, limits: AtomFeedLimits()) else {
        if tight != nil { fatalError("the tight limits accepted a document the default limits refuse") }
        return 0
    }
    if let tight, tight != feed { fatalError("the tight limits changed the parsed feed") }
    for (index, paper) in feed.papers.enumerated() {
        if paper.id.isEmpty { fatalError("entry \(index + 1) parsed with an empty id (url \(paper.url ?? "nil"))") }
        if paper.published.isEmpty { fatalError("entry \(index + 1) parsed with an empty published date") }
    }
    let jsonl = PaperJSONLWriter.encode(feed.papers)
    let decoder = JSONDecoder()
    var readBack: [Paper] = []
    for line in jsonl.split(separator: UInt8(ascii: "\n")) {
        do { readBack.append(try decoder.decode(Paper.self, from: Data(line))) } catch {
            fatalError("a parsed paper does not read back from JSON Lines: \(error)")
        }
    }
    if readBack != feed.papers { fatalError("JSON Lines round trip changed the parsed papers") }
    return 0
}
