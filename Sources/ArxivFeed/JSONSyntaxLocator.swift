/// Where a line of JSON Lines stops being JSON, and why. `JSONDecoder` on Linux says only "The given data
/// was not valid JSON", which leaves a user to hunt through a line of a few hundred characters, and it
/// takes a trailing comma (`{"id": "1",}`) that JSON, Python and jq refuse. The reader checks the lines its
/// fast path did not take with this before it hands them to the decoder; the plain records the fast path takes
/// (every one of the shared sets) never come here.
///
/// It follows RFC 8259's grammar and, as the decoder does, refuses a lone UTF-16 surrogate escape. It
/// checks syntax only (no duplicate keys, no field types), without recursion; like the decoder it refuses
/// nesting deeper than 512 levels. The line is valid UTF-8 (the reader checks that first).
enum JSONSyntaxLocator {
    struct Problem: Equatable, Sendable {
        /// The byte of the line (from 0) where the problem is seen.
        let offset: Int
        let reason: String
    }

    /// The deepest nesting of objects and arrays taken, Foundation's limit: a line nested deeper is refused.
    static let maximumDepth = 512

    /// The first syntax problem in `line`, or nil when it is one JSON value (white space around it allowed).
    static func firstProblem(in line: UnsafeBufferPointer<UInt8>) -> Problem? {
        var scanner = Scanner(line: line)
        return scanner.run()
    }

    private enum Expectation {
        case value, valueOrClose, key, keyOrClose, colon, separatorOrClose, end
    }

    private struct Scanner {
        let line: UnsafeBufferPointer<UInt8>
        var index = 0
        /// The open containers, innermost last: `{` or `[`.
        var open: [UInt8] = []

        init(line: UnsafeBufferPointer<UInt8>) { self.line = line }

        mutating func run() -> Problem? {
            var expecting = Expectation.value
            while true {
                while index < line.count, Self.isSpace(line[index]) { index += 1 }
                guard index < line.count else { return expecting == .end ? nil : endProblem() }
                let byte = line[index]
                switch expecting {
                case .end:
                    return Problem(offset: index, reason: "\(Self.describe(byte)) after the end of the record")
                case .colon:
                    guard byte == UInt8(ascii: ":") else { return Problem(offset: index, reason: "expected ':' after a key, found \(Self.describe(byte))") }
                    index += 1
                    expecting = .value
                case .key, .keyOrClose:
                    if expecting == .keyOrClose, byte == UInt8(ascii: "}") {
                        expecting = close()
                        continue
                    }
                    guard byte == UInt8(ascii: "\"") else {
                        return Problem(offset: index, reason: "expected a key (a string in double quotes), found \(Self.describe(byte))")
                    }
                    if let problem = string() { return problem }
                    expecting = .colon
                case .separatorOrClose:
                    let closer = open.last == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                    if byte == UInt8(ascii: ",") {
                        index += 1
                        expecting = open.last == UInt8(ascii: "{") ? .key : .value
                    } else if byte == closer {
                        expecting = close()
                    } else {
                        return Problem(offset: index, reason: "expected ',' or '\(Character(Unicode.Scalar(closer)))', found \(Self.describe(byte))")
                    }
                case .value, .valueOrClose:
                    if expecting == .valueOrClose, byte == UInt8(ascii: "]") {
                        expecting = close()
                        continue
                    }
                    if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "["), open.count == JSONSyntaxLocator.maximumDepth {
                        return Problem(offset: index, reason: "nested more than \(JSONSyntaxLocator.maximumDepth) levels deep")
                    }
                    switch byte {
                    case UInt8(ascii: "{"): open.append(byte); index += 1; expecting = .keyOrClose
                    case UInt8(ascii: "["): open.append(byte); index += 1; expecting = .valueOrClose
                    case UInt8(ascii: "\""):
                        if let problem = string() { return problem }
                        expecting = afterValue
                    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                        if let problem = number() { return problem }
                        expecting = afterValue
                    case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                        if let problem = literal() { return problem }
                        expecting = afterValue
                    default:
                        return Problem(offset: index, reason: "expected a value, found \(found)")
                    }
                }
            }
        }

        private var afterValue: Expectation { open.isEmpty ? .end : .separatorOrClose }

        /// Closes the innermost container, whose closing bracket is at `index`, and says what may follow.
        private mutating func close() -> Expectation {
            open.removeLast()
            index += 1
            return afterValue
        }

        /// The problem of a line that ends before its value is whole.
        private func endProblem() -> Problem {
            guard let innermost = open.last else {
                return Problem(offset: index, reason: "the line ends where a value should start")
            }
            let kind = innermost == UInt8(ascii: "{") ? "an object" : "an array"
            return Problem(offset: index, reason: "the line ends inside \(kind) that is not closed")
        }

        /// A string from its opening quote at `index`; leaves `index` after the closing quote.
        private mutating func string() -> Problem? {
            let start = index
            index += 1
            while index < line.count {
                let byte = line[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return nil
                case UInt8(ascii: "\\"):
                    if let problem = escape() { return problem }
                case 0..<0x20:
                    return Problem(offset: index, reason: "a raw control character (U+\(Self.hex4(UInt32(byte)))) inside a string; write it as \\u\(Self.hex4(UInt32(byte)))")
                default:
                    index += 1
                }
            }
            return Problem(offset: start, reason: "a string that is not closed")
        }

        /// An escape from its backslash at `index`; a high surrogate must be followed by a low one.
        private mutating func escape() -> Problem? {
            let start = index
            guard index + 1 < line.count else { return Problem(offset: start, reason: "a string that is not closed") }
            let kind = line[index + 1]
            guard kind == UInt8(ascii: "u") else {
                guard Array("\"\\/bfnrt".utf8).contains(kind) else {
                    return Problem(offset: start, reason: "\\\(Self.printable(kind)) is no JSON escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
                }
                index += 2
                return nil
            }
            guard let value = hexEscape(at: start) else {
                return Problem(offset: start, reason: "\\u needs four hexadecimal digits")
            }
            index = start + 6
            switch value {
            case 0xD800...0xDBFF:
                guard let low = hexEscape(at: index), (0xDC00...0xDFFF).contains(low) else {
                    return Problem(offset: start, reason: "\\u\(Self.hex4(value)) is half of a UTF-16 surrogate pair without its other half")
                }
                index += 6
            case 0xDC00...0xDFFF:
                return Problem(offset: start, reason: "\\u\(Self.hex4(value)) is half of a UTF-16 surrogate pair without its other half")
            default:
                break
            }
            return nil
        }

        /// The value of a `\uXXXX` escape whose backslash is at `position`, or nil.
        private func hexEscape(at position: Int) -> UInt32? {
            guard position + 6 <= line.count, line[position] == UInt8(ascii: "\\"), line[position + 1] == UInt8(ascii: "u") else { return nil }
            var value: UInt32 = 0
            for byte in line[(position + 2)..<(position + 6)] {
                guard let digit = PaperRecordScanner.hexDigit(byte) else { return nil }
                value = value << 4 | digit
            }
            return value
        }

        /// A number from its first byte at `index`: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
        private mutating func number() -> Problem? {
            let start = index
            if line[index] == UInt8(ascii: "-") { index += 1 }
            let integerStart = index
            let integerDigits = digits()
            guard integerDigits > 0 else { return Problem(offset: start, reason: "a number needs a digit after '-'") }
            if integerDigits > 1, line[integerStart] == UInt8(ascii: "0") {
                return Problem(offset: integerStart, reason: "a number with a leading zero")
            }
            if index < line.count, line[index] == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { return Problem(offset: index, reason: "a number needs a digit after '.'") }
            }
            if index < line.count, line[index] == UInt8(ascii: "e") || line[index] == UInt8(ascii: "E") {
                index += 1
                if index < line.count, line[index] == UInt8(ascii: "+") || line[index] == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { return Problem(offset: index, reason: "a number needs a digit in its exponent") }
            }
            return nil
        }

        /// Skips a run of decimal digits and says how many there were.
        private mutating func digits() -> Int {
            let start = index
            while index < line.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(line[index]) { index += 1 }
            return index - start
        }

        /// `true`, `false` or `null` at `index`.
        private mutating func literal() -> Problem? {
            for word in ["true", "false", "null"] {
                let bytes = Array(word.utf8)
                if index + bytes.count <= line.count, line[index..<(index + bytes.count)].elementsEqual(bytes) {
                    index += bytes.count
                    return nil
                }
            }
            return Problem(offset: index, reason: "expected a value, found \(found)")
        }

        /// What stands at `index`, for a message: the word when it starts with a letter (`'tru'`), else the byte.
        private var found: String {
            if line[index...].starts(with: [0xEF, 0xBB, 0xBF]) {
                return "a byte order mark (U+FEFF), which only a file's first line may start with (were files joined with cat?)"
            }
            var end = index
            while end < line.count, end - index < 20, (0x41...0x5A).contains(line[end] & 0xDF) { end += 1 }
            guard end > index else { return Self.describe(line[index]) }
            return "'" + String(decoding: line[index..<end], as: UTF8.self) + "'"
        }

        static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

        static func hex4(_ value: UInt32) -> String {
            let text = String(value, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, 4 - text.count)) + text
        }

        /// A byte as the message shows it: quoted when it is printable ASCII.
        static func describe(_ byte: UInt8) -> String {
            (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : byte < 0x80 ? "byte 0x\(String(byte, radix: 16, uppercase: true))" : "a non-ASCII character"
        }

        static func printable(_ byte: UInt8) -> String {
            (0x21..<0x7F).contains(byte) ? String(Character(Unicode.Scalar(byte))) : "(byte 0x\(String(byte, radix: 16, uppercase: true)))"
        }
    }
}
