/// Why a profile cannot be used: the file, the line (when it can be told), the key, and what is wrong.
///
/// Keys are spelled as paths: `fallback`, `query.max_results`, `sections[2].heading` (1-based, the
/// second `[[sections]]` table). Syntax errors carry TOML's own line and no key.
public struct DigestProfileError: Error, Equatable, CustomStringConvertible {
    /// The profile file, as given.
    public let file: String
    /// 1-based line, or nil when the fault has no line (e.g. a required top-level key is missing).
    public let line: Int?
    /// The key at fault, or nil for errors about the whole file.
    public let key: String?
    public let reason: String

    public init(file: String, line: Int?, key: String?, reason: String) {
        self.file = file
        self.line = line
        self.key = key
        self.reason = reason
    }

    /// `file:line: key "k": reason`, leaving out the parts that are unknown.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let key { text += "key \(ProfileText.quoted(key)): " }
        return text + reason
    }
}
