import Foundation

/// Time as the client sees it: a monotonic reading for spacing requests, the wall clock for `Retry-After`
/// dates, and sleeping. Tests substitute a virtual clock so backoff needs no real waiting.
public protocol ClientClock: AnyObject, Sendable {
    /// Seconds on a monotonic clock (any origin).
    var uptime: TimeInterval { get }
    /// The current wall-clock date.
    var now: Date { get }
    /// Blocks the calling thread for `seconds` (no-op when ≤ 0).
    func sleep(seconds: TimeInterval)
}

/// The real clock: `ProcessInfo.systemUptime`, `Date()`, `Thread.sleep`.
public final class SystemClock: ClientClock {
    public init() {}
    public var uptime: TimeInterval { ProcessInfo.processInfo.systemUptime }
    public var now: Date { Date() }
    public func sleep(seconds: TimeInterval) {
        if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
    }
}
