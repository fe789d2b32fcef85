import SeededRandom
import Foundation

/// When and how long to wait before trying a failed request again.
///
/// After failed attempt `n` (1-based) the client waits `baseDelay · 2^(n-1)`, capped at `maxDelay`, then
/// stretched by jitter. A `Retry-After` header (seconds or HTTP-date) replaces that delay, capped at
/// `maxRetryAfter`. Retried: timeouts, connection failures, truncated bodies, HTTP 429, 500, 502, 503.
public struct RetryPolicy: Equatable, Sendable {
    /// Random stretch of each backoff delay.
    public enum Jitter: Equatable, Sendable {
        /// Delays are exactly the exponential schedule.
        case none
        /// Each delay is multiplied by `1 + fraction · u`, `u` uniform in [0, 1) from a SplitMix64 seeded
        /// with `seed`, so a run is reproducible.
        case seeded(seed: UInt64, fraction: Double)
    }

    /// Total attempts per request, the first included (1 = never retry).
    public var maxAttempts: Int
    /// Seconds to wait after the first failure.
    public var baseDelay: TimeInterval
    /// Upper bound of the exponential delay (before jitter).
    public var maxDelay: TimeInterval
    /// Upper bound on a server's `Retry-After`.
    public var maxRetryAfter: TimeInterval
    public var jitter: Jitter

    /// HTTP statuses worth another try.
    public static let retryableStatuses: Set<Int> = [429, 500, 502, 503]

    public init(
        maxAttempts: Int = 4, baseDelay: TimeInterval = 3, maxDelay: TimeInterval = 60,
        maxRetryAfter: TimeInterval = 120, jitter: Jitter = .seeded(seed: 0x5EED, fraction: 0.25)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.jitter = jitter
    }

    /// The exponential delay after failed attempt `attempt` (1-based), before jitter.
    public func backoff(afterAttempt attempt: Int) -> TimeInterval {
        let exponent = Double(max(0, attempt - 1))
        return min(maxDelay, baseDelay * pow(2, exponent))
    }

    /// Seconds a `Retry-After` value asks for: delta-seconds, or an HTTP-date relative to `now`;
    /// nil when unreadable. Never negative.
    public static func retryAfterSeconds(_ value: String, now: Date) -> TimeInterval? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(text) { return TimeInterval(max(0, seconds)) }
        guard let date = parseHTTPDate(text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), plus the obsolete RFC 850 and asctime forms.
    static func parseHTTPDate(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}

