import Foundation

/// Why a model file could not be read, built or queried. The description names the file and the
/// exact problem, e.g. `topics.model: truncated: section "weights" needs 2,400,000 bytes at offset
/// 1,234, file ends at 2,000,000`.
public struct ModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file's name (its last path component), or the label given when decoding bytes.
    public let file: String
    public let problem: Problem

    public init(file: String, problem: Problem) {
        self.file = file
        self.problem = problem
    }

    /// What is wrong with the file.
    public enum Problem: Equatable, Sendable {
        /// The file could not be opened or read.
        case unreadable(reason: String)
        /// Wrong magic, or too short to hold one.
        case notAModelFile(detail: String)
        /// Written by a later format version than this build understands.
        case newerFormat(found: UInt32, supported: UInt32)
        /// A format version that never existed (0).
        case invalidFormatVersion(UInt32)
        /// A length points past the end of the data (`limit` is where the data ends).
        case truncated(what: String, needs: UInt64, offset: Int, limit: Int, fileSize: Int)
        /// A section whose count, length or contents disagree with each other.
        case inconsistentSection(name: String, detail: String)
        /// A section name that is empty, too long or not UTF-8.
        case invalidSectionName(detail: String)
        /// Bytes left over between the last declared section and the checksum.
        case trailingBytes(count: Int, offset: Int, declaredSections: Int)
        /// Two sections with the same name.
        case duplicateSection(name: String)
        /// The stored SHA-256 differs from that of the contents: the file is corrupt.
        case checksumMismatch(stored: String, computed: String)
        /// The header is not a UTF-8 JSON object, or does not decode as the requested type.
        case invalidHeader(detail: String)
        /// An accessor asked for a section the file does not have.
        case missingSection(name: String)
        /// An accessor asked for a section as the wrong element type.
        case wrongSectionType(name: String, expected: SectionType, found: SectionType)
        /// An accessor's expected element count differs from the stored one.
        case dimensionMismatch(name: String, found: Int, expected: Int)
        /// A value too large for the format's length fields.
        case tooLarge(what: String)
    }

    public var description: String { "\(file): \(problemDescription)" }

    private var problemDescription: String {
        switch problem {
        case .unreadable(let reason):
            return "cannot read: \(reason)"
        case .notAModelFile(let detail):
            return "not an ArxivDigest model file (\(detail))"
        case .newerFormat(let found, let supported):
            return "written by a newer ArxivDigest (format \(found), this build reads up to \(supported))"
        case .invalidFormatVersion(let version):
            return "invalid format version \(version)"
        case .truncated(let what, let needs, let offset, let limit, let fileSize):
            let needed = "truncated: \(what) needs \(grouped(needs)) bytes at offset \(grouped(offset))"
            if limit == fileSize { return "\(needed), file ends at \(grouped(fileSize))" }
            return "\(needed), data ends at \(grouped(limit)) (before the \(ModelFileFormat.checksumSize)-byte"
                + " checksum; file size \(grouped(fileSize)))"
        case .inconsistentSection(let name, let detail):
            return "section \"\(name)\": \(detail)"
        case .invalidSectionName(let detail):
            return "invalid section name: \(detail)"
        case .trailingBytes(let count, let offset, let declared):
            return "\(grouped(count)) unexpected bytes at offset \(grouped(offset)) after the last of"
                + " \(declared) declared sections"
        case .duplicateSection(let name):
            return "duplicate section \"\(name)\""
        case .checksumMismatch(let stored, let computed):
            return "checksum mismatch (stored SHA-256 \(stored), contents hash to \(computed)): the file is corrupt"
        case .invalidHeader(let detail):
            return "invalid header: \(detail)"
        case .missingSection(let name):
            return "no section \"\(name)\""
        case .wrongSectionType(let name, let expected, let found):
            return "section \"\(name)\" is a \(found), expected a \(expected)"
        case .dimensionMismatch(let name, let found, let expected):
            return "section \"\(name)\" has \(grouped(found)) values, expected \(grouped(expected))"
        case .tooLarge(let what):
            return "\(what) is too large for the model file format"
        }
    }
}

/// `1234567` → `"1,234,567"`, independent of the locale so messages are deterministic.
func grouped<N: BinaryInteger>(_ number: N) -> String {
    let digits = String(number.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return (number < 0 ? "-" : "") + out
}
