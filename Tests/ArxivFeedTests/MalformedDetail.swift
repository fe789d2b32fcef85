import ArxivFeed
import Foundation
import Testing

/// Parses `data` as a feed named `source` and returns the `.malformed` detail, recording a test issue
/// on any other outcome (a parsed feed, or another error), and checking the error names `source`.
func malformedDetail(
    _ data: Data, source: String, limits: AtomFeedLimits = AtomFeedLimits(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> String {
    do {
        let feed = try AtomFeed.parse(data, source: source, limits: limits)
        Issue.record("parsed unexpectedly into \(feed.papers.count) papers", sourceLocation: sourceLocation)
    } catch let AtomFeedError.malformed(errorSource, detail) {
        #expect(errorSource == source, sourceLocation: sourceLocation)
        #expect(AtomFeedError.malformed(source: errorSource, detail: detail).description == source + ": " + detail,
                sourceLocation: sourceLocation)
        return detail
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
    return ""
}
