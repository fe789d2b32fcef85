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
    /// dates move with every run looks updated every day to a feed reader. Every field is checked
    /// (Foundation's parser would read 30 February as 1 March, and an offset of +24:00 or +05:99).
    static func stamp(paperTime text: String) -> String? {
        if let match = text.wholeMatch(of: stampPattern) {
            let (_, year, month, day, hour, minute, second, _, zone) = match.output
            guard let midnight = utcDate(year: Int(year)!, month: Int(month)!, day: Int(day)!),
                  let hours = Int(hour), hours < 24, let minutes = Int(minute), minutes < 60,
                  let seconds = Int(second), seconds < 60, let offset = offsetSeconds(zone)
            else { return nil }
            let date = midnight.addingTimeInterval(TimeInterval(hours * 3600 + minutes * 60 + seconds - offset))
            // An offset can carry 9999-12-31 into year 10000, or 0001-01-01 back before year 1: neither has an
            // RFC 3339 stamp (four digits, no era), so the paper gets the run time, as other unusable dates do.
            guard isStampYear(date) else { return nil }
            return utcStamp(date)
        }
        if let match = text.wholeMatch(of: datePattern) {
            let (_, year, month, day) = match.output
            guard utcDate(year: Int(year)!, month: Int(month)!, day: day.map { Int($0)! } ?? 1) != nil else { return nil }
            return "\(year)-\(month)-\(day ?? "01")T00:00:00Z"
        }
        return nil
    }

    // ASCII digits only (`\d` would take any script's digits).
    private static let stampPattern = #/([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})/#
    private static let datePattern = #/([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?/#

    /// Midnight UTC of a real calendar day from year 1 on, or nil (month 13, 30 February, day 0, year 0).
    private static func utcDate(year: Int, month: Int, day: Int) -> Date? {
        let components = DateComponents(year: year, month: month, day: day)
        guard year >= 1, components.isValidDate(in: utcCalendar) else { return nil }
        return utcCalendar.date(from: components)
    }

    /// True when `date` falls in years 1–9999 of the common era, the years an RFC 3339 stamp can write.
    private static func isStampYear(_ date: Date) -> Bool {
        let parts = utcCalendar.dateComponents([.era, .year], from: date)
        return parts.era == 1 && (1...9999).contains(parts.year ?? 0)
    }

    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// `Z` → 0, `+05:30` → 19,800; nil for an hour over 23 or a minute over 59.
    private static func offsetSeconds(_ zone: Substring) -> Int? {
        if zone == "Z" { return 0 }
        let parts = zone.dropFirst().split(separator: ":")
        guard let hours = Int(parts[0]), hours < 24, let minutes = Int(parts[1]), minutes < 60 else { return nil }
        return (zone.first == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    private static func utcStamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
