/// Why a JSON Lines file of papers could not be read. Descriptions read `file:line: reason`.
public enum PaperJSONLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Line `line` (1-based) of `source` is not a valid `Paper` record; `reason` names the field,
    /// e.g. `missing field "title"`, `field "authors[2]": expected string`, `invalid UTF-8 at byte 14`.
    case invalidLine(source: String, line: Int, reason: String)
    /// `source` could not be opened or read.
    case unreadable(source: String, reason: String)

    public var description: String {
        switch self {
        case .invalidLine(let source, let line, let reason): return "\(source):\(line): \(reason)"
        case .unreadable(let source, let reason): return "\(source): \(reason)"
        }
    }
}
