import ArgumentParser

/// The allowed range of every numeric option, in one place so that validation and `--help` say the same.
/// Bounds keep a run finite and its memory bounded: an n-gram length of 50 or a batch of 10^8 papers exhausts
/// memory, a timeout of 10^10 s hangs, a C of 10^-300 or an alpha of 0 gives a degenerate or NaN model.
/// Numeric options parse their value unconditionally, so that `--title-repeat -1` reaches these checks instead of
/// ArgumentParser reading `-1` as a flag and reporting a missing value.
enum OptionRanges {
    static let maxResults = 1...30_000
    static let requestInterval = 0.0...600
    static let timeout = 0.1...600
    static let attempts = 1...20
    /// Up to the 64 MiB the Atom parser accepts (`AtomFeedLimits.maxBytes`): a larger body could be
    /// downloaded but never read. A 2,000-paper page is about 5 MB.
    static let maxResponseMiB = 1...64
    static let batchSize = 1...100_000
    static let explainTerms = 1...1_000
    static let folds = 2...100

    /// `value` as given, or a `ValidationError` naming `option` and the range.
    static func check<T: Comparable>(_ value: T, _ option: String, in range: ClosedRange<T>) throws {
        guard range.contains(value) else {
            throw ValidationError("\(option) must be between \(range.lowerBound) and \(range.upperBound); got \(value).")
        }
    }

    /// Like `check`, for a number that must also be finite (NaN and infinities are refused).
    static func check(_ value: Double, _ option: String, in range: ClosedRange<Double>) throws {
        guard value.isFinite, range.contains(value) else {
            throw ValidationError("\(option) must be a finite number between \(format(range.lowerBound)) and \(format(range.upperBound)); got \(value).")
        }
    }

    /// "1…30000" for help texts.
    static func text<T>(_ range: ClosedRange<T>) -> String { "\(format(range.lowerBound))…\(format(range.upperBound))" }

    private static func format<T>(_ value: T) -> String {
        if let double = value as? Double { return double == double.rounded() ? String(Int(double)) : "\(double)" }
        return "\(value)"
    }
}
