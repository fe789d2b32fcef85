import Foundation

/// RFC 3339 time stamps for the Atom feed and the HTML `<time>` element.
enum AtomTime {
    /// `2026-02-03 08:36` → `2026-02-03T08:36:00Z`.
    static func stamp(runTime: String) -> String {
        runTime.replacingOccurrences(of: " ", with: "T") + ":00Z"
    }

    /// A paper's published or updated text as an RFC 3339 stamp in UTC to the second, or nil when it is
    /// none of the forms a paper record may hold (`Datasets/README.md`):
    /// - a full stamp, as arXiv sends it (`2026-02-02T18:59:59Z`), also with fractional seconds or an offset;
    /// - a date (`2026-02-02`, as a digest prints it): its midnight;
    /// - a month (`2026-02`, as some records give it): its first day's midnight.
    /// A fixed stamp for each matters: the feed falls back to the run time otherwise, and a paper whose
    /// dates move with every run looks updated every day to a feed reader.
    static func stamp(paperTime text: String) -> String? {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        if let date = formatter.date(from: text) { return formatter.string(from: date) }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return formatter.string(from: date) }
        let day = text.utf8.count == 7 ? text + "-01" : text
        formatter.formatOptions = [.withFullDate]
        if day.utf8.count == 10, let date = formatter.date(from: day), formatter.string(from: date) == day {
            return day + "T00:00:00Z"
        }
        return nil
    }
}
