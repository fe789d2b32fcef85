// libFuzzer target: the Atom parser on arbitrary bytes.
//
// Contract checked: `AtomFeed.parse` returns a feed or throws `AtomFeedError` (never another error,
// never a crash, never a hang), and every paper it returns survives a JSON Lines round trip.
import ArxivFeed
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    let feed: AtomFeed
    do {
        feed = try AtomFeed.parse(bytes, source: "fuzz.xml")
    } catch let error as AtomFeedError {
        guard !error.description.isEmpty else { fatalError("AtomFeedError with an empty description") }
        return 0
    } catch {
        fatalError("AtomFeed.parse threw an untyped error: \(error)")
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
