import Foundation

/// RFC 3339 time stamps for the Atom feed and the HTML `<time>` element.
enum AtomTime {
    /// `2026-02-03 08:36` → `2026-02-03T08:36:00Z`.
    static func stamp(runTime: String) -> String {
        runTime.replacingOccurrences(of: " ", with: "T") + ":00Z"
    }

    /// A paper's published or updated text as RFC 3339, or nil when it is neither a full stamp
    /// (`2026-02-02T18:59:59Z`, as arXiv sends) nor a date (`2026-02-02`, as a digest prints).
    static func stamp(paperTime text: String) -> String? {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        if let date = formatter.date(from: text) { return formatter.string(from: date) }
        formatter.formatOptions = [.withFullDate]
        if text.count == 10, let date = formatter.date(from: text), formatter.string(from: date) == text {
            return text + "T00:00:00Z"
        }
        return nil
    }
}
