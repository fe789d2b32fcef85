/// Why a digest file could not be imported: the file, the 1-based line, and what was wrong there.
public struct DigestImportError: Error, Equatable, CustomStringConvertible {
    /// The file name or path given to the importer (`<digest>` for in-memory text).
    public let file: String
    /// 1-based line number; one past the last line when the input ended too early.
    public let line: Int
    public let reason: String

    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)" }
}
