import AtomicFiles
import Foundation

/// Reads `Paper` records from JSON Lines one at a time, in constant memory (a chunk plus one line).
///
/// Blank lines are skipped; "\r\n" line ends and a last line without "\n" are accepted; a UTF-8 byte
/// order mark at the start is ignored. Unknown fields are ignored, so `../shared/datasets` files are
/// valid input; a key given twice in one object is an error naming it (parsers disagree on which value
/// wins). Plain input only: gzip-compressed data is recognised by its magic bytes and refused with
/// "decompress first", even when skipping invalid lines.
///
/// ```swift
/// let reader = try PaperJSONLReader(contentsOf: url)
/// while let paper = try reader.next() { … }
/// ```
public final class PaperJSONLReader {
    /// How strictly lines are read.
    public struct Options: Sendable {
        /// Skip lines that are not valid records instead of throwing; they are counted in
        /// `invalidLineCount` and the first one is kept in `firstInvalidLine`.
        public var skipInvalidLines: Bool
        /// Bytes read from the file at a time.
        public var chunkSize: Int
        /// Longest line accepted (a line longer than this is an error even when skipping).
        public var maxLineBytes: Int

        /// Most bytes read from a pipe, socket or device, whose size is not known before reading; nil for no
        /// limit. A command that keeps every record sets it, so that an endless stream ends in an error rather
        /// than in all the memory; one that streams (classify) needs none.
        public var maxStreamBytes: Int?

        public init(skipInvalidLines: Bool = false, chunkSize: Int = 1 << 20, maxLineBytes: Int = 16 << 20, maxStreamBytes: Int? = nil) {
            self.skipInvalidLines = skipInvalidLines
            self.chunkSize = chunkSize
            self.maxLineBytes = maxLineBytes
            self.maxStreamBytes = maxStreamBytes
        }

        /// For commands that keep every record in memory: streams bounded at 256 MiB, far above any
        /// labelled set or fetch (the 1,571 training papers are 2 MB).
        public static let keepingEveryRecord = Options(maxStreamBytes: 256 << 20)
    }

    /// Names the input in errors (the path as given, or `<stdin>`).
    public let source: String
    /// How many invalid lines were skipped (only with `skipInvalidLines`).
    public private(set) var invalidLineCount = 0
    /// The first skipped line's error (only with `skipInvalidLines`).
    public private(set) var firstInvalidLine: PaperJSONLError?
    /// The number of the line last read (1-based; 0 before the first).
    public var lineNumber: Int { splitter.lineNumber }

    private let options: Options
    private var splitter: JSONLineSplitter
    private let ownedHandle: FileHandle?
    /// Whether the input is a pipe, socket or device rather than a file of known size.
    private let isStream: Bool
    private let decoder = JSONDecoder()

    /// Opens the file at `url`; errors name it by `url.relativePath`.
    public convenience init(contentsOf url: URL, options: Options = Options()) throws {
        let source = url.relativePath
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw PaperJSONLError.unreadable(source: source, reason: "cannot open: \(SystemErrorText.reason(error))")
        }
        var info = stat()
        if fstat(handle.fileDescriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw PaperJSONLError.unreadable(source: source, reason: "it is a directory, not a file")
        }
        self.init(fileHandle: handle, source: source, options: options, closesHandle: true)
    }

    /// Reads from an open handle (a pipe, a socket, standard input); the caller keeps ownership.
    public convenience init(fileHandle: FileHandle, source: String, options: Options = Options()) {
        self.init(fileHandle: fileHandle, source: source, options: options, closesHandle: false)
    }

    /// A reader of standard input, named `<stdin>` in errors.
    public static func standardInput(options: Options = Options()) -> PaperJSONLReader {
        PaperJSONLReader(fileHandle: .standardInput, source: "<stdin>", options: options)
    }

    private init(fileHandle: FileHandle, source: String, options: Options, closesHandle: Bool) {
        self.source = source
        self.options = options
        self.splitter = JSONLineSplitter(handle: fileHandle, chunkSize: options.chunkSize, maxLineBytes: options.maxLineBytes)
        self.ownedHandle = closesHandle ? fileHandle : nil
        var info = stat()
        let type = fstat(fileHandle.fileDescriptor, &info) == 0 ? info.st_mode & S_IFMT : S_IFREG
        self.isStream = [S_IFIFO, S_IFCHR, S_IFSOCK].contains(type)
    }

    deinit { try? ownedHandle?.close() }

    /// The next record, or nil at the end of the input.
    public func next() throws -> Paper? {
        while true {
            let outcome: LineOutcome?
            do {
                outcome = try splitter.withNextLine { try decodeLine($0, lineNumber: $1) }
            } catch let failure as JSONLineSplitter.Failure {
                switch failure {
                case .lineTooLong(let line, let limit):
                    throw PaperJSONLError.invalidLine(source: source, line: line, reason: "line longer than \(limit) bytes")
                case .readFailed(let reason):
                    throw PaperJSONLError.unreadable(source: source, reason: "read failed: \(reason)")
                }
            }
            if isStream, let limit = options.maxStreamBytes, splitter.bytesRead > limit {
                throw PaperJSONLError.unreadable(source: source, reason: "more than \(limit >> 20) MiB from a pipe or device, which this command keeps whole; save it to a file first")
            }
            switch outcome {
            case nil: return nil
            case .blank?: continue
            case .paper(let paper)?: return paper
            case .invalid(let reason)?:
                let error = PaperJSONLError.invalidLine(source: source, line: splitter.lineNumber, reason: reason)
                guard options.skipInvalidLines else { throw error }
                invalidLineCount += 1
                if firstInvalidLine == nil { firstInvalidLine = error }
            }
        }
    }

    /// Calls `body` with every remaining record, in order.
    public func forEach(_ body: (Paper) throws -> Void) throws {
        while let paper = try next() { try body(paper) }
    }

    /// Every remaining record.
    public func readAll() throws -> [Paper] {
        var papers: [Paper] = []
        try forEach { papers.append($0) }
        return papers
    }

    /// Every record of the file at `url`.
    public static func readAll(contentsOf url: URL, options: Options = Options()) throws -> [Paper] {
        try PaperJSONLReader(contentsOf: url, options: options).readAll()
    }

    private enum LineOutcome {
        case blank
        case paper(Paper)
        case invalid(String)
    }

    private func decodeLine(_ rawLine: UnsafeBufferPointer<UInt8>, lineNumber: Int) throws -> LineOutcome {
        var line = rawLine
        // A byte-order mark is skipped, but still counted in the byte offsets an error message gives.
        if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) {
            line = UnsafeBufferPointer(rebasing: line[3...])
        }
        if lineNumber == 1, line.starts(with: [0x1F, 0x8B]) {
            throw PaperJSONLError.unreadable(source: source, reason: "gzip-compressed data; decompress it first (gunzip -k \(source))")
        }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return .blank }
        if let offset = UTF8Validation.firstInvalidOffset(line) {
            return .invalid("invalid UTF-8 at byte \(rawLine.count - line.count + offset + 1) of the line")
        }
        // Plainly valid records take the fast path; JSONDecoder reads the rest (and words the errors in their fields).
        if let paper = PaperRecordScanner.decode(line) { return Self.checked(paper) }
        // Only lines the fast path refused. Their syntax is checked here, not left to JSONDecoder: on Linux it
        // says only "not valid JSON", without where, and it takes a trailing comma that Python's json and jq
        // refuse (the same file must mean the same to every tool).
        if let problem = JSONSyntaxLocator.firstProblem(in: line) {
            return .invalid("not valid JSON at byte \(rawLine.count - line.count + problem.offset + 1) of the line: \(problem.reason)")
        }
        // The fast path refuses every record with a key twice.
        if let key = DuplicateKeyScan.firstDuplicateKey(line) {
            return .invalid("key \"\(key)\" appears twice in one object")
        }
        do {
            return Self.checked(try decoder.decode(Paper.self, from: Data(buffer: line)))
        } catch let error as DecodingError {
            return .invalid(Self.reason(error))
        }
    }

    /// The rules JSON cannot state, as the Atom reader applies them: a title with text (a digest
    /// links each paper by its title), and author names without white space around them (a
    /// hand-written `" Ada "` would break the digest's italics around the names).
    private static func checked(_ paper: Paper) -> LineOutcome {
        // An empty id would make every such record one paper (papers are told apart by id), as in an Atom entry.
        guard paper.id.unicodeScalars.contains(where: { !TextCleaning.isPythonSpace($0) }) else {
            return .invalid("field \"id\" is empty")
        }
        guard paper.title.unicodeScalars.contains(where: { !TextCleaning.isPythonSpace($0) }) else {
            return .invalid("field \"title\" is empty")
        }
        guard let authors = paper.authors, authors.contains(where: Self.hasOuterSpace) else { return .paper(paper) }
        var trimmed = paper
        trimmed.authors = authors.map { Self.hasOuterSpace($0) ? TextCleaning.trimmed($0) : $0 }
        return .paper(trimmed)
    }

    private static func hasOuterSpace(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, let last = name.unicodeScalars.last else { return false }
        return TextCleaning.isPythonSpace(first) || TextCleaning.isPythonSpace(last)
    }

    /// Says which field is wrong and how, in the words of the record format.
    public static func reason(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field \"\(fieldPath(context.codingPath + [key]))\""
        case .valueNotFound(let type, let context):
            if context.codingPath.isEmpty { return "null, not a JSON object" }
            return "field \"\(fieldPath(context.codingPath))\" is null, expected \(typeName(type))"
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty { return "not a JSON object" }
            return "field \"\(fieldPath(context.codingPath))\": expected \(typeName(type))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not valid JSON" }
            return "field \"\(fieldPath(context.codingPath))\": \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func fieldPath(_ path: [CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "string"
        case is Bool.Type: return "boolean"
        case is Int.Type, is Double.Type: return "number"
        case is [String].Type, is [[String]].Type: return "array"
        default:
            let name = "\(type)"
            return name.hasPrefix("Array") ? "array" : name.hasPrefix("Dictionary") ? "object" : name
        }
    }
}
