/// The fast path of `PaperJSONLReader`: decodes one JSON Lines record straight from its bytes, with
/// no `JSONDecoder` and no intermediate `Data` (in a profile of `classify` on 50k records it is about 3%
/// of the process).
///
/// It accepts only what is plainly a valid record: strict JSON (RFC 8259), every known field of the
/// right type, `id`/`title`/`abstract`/`published` present, no key twice, nesting at most 64 deep,
/// no lone UTF-16 surrogate. For anything else it returns nil and the reader decodes the line with
/// `JSONDecoder`, which either accepts it or gives the error messages it always gave; so this path
/// only ever makes valid lines faster and never changes what is an error or what it says.
/// The bytes must already be valid UTF-8 (the reader checks that first).
struct PaperRecordScanner {
    private let base: UnsafePointer<UInt8>
    private let end: Int
    private var position = 0

    private init(_ line: UnsafeBufferPointer<UInt8>) {
        base = line.baseAddress ?? UnsafePointer(bitPattern: 1)!
        end = line.count
    }

    /// The record in `line`, or nil when the slow path must decide.
    static func decode(_ line: UnsafeBufferPointer<UInt8>) -> Paper? {
        guard line.count > 0 else { return nil }
        var scanner = PaperRecordScanner(line)
        return scanner.record()
    }

    // MARK: - The record

    /// The type each known field must have (`Paper`'s `Decodable` conformance, field by field).
    private enum Field: Int {
        case id, url, title, abstract, published, updated, authors, affiliations, authorsTruncated
        case primaryCategory, categories, pdfURL, absURL, doiURL, doi, comment, journalRef
        case label, confidence, secondary, source, annotations
    }

    private static let fields: [String: Field] = [
        "id": .id, "url": .url, "title": .title, "abstract": .abstract, "published": .published,
        "updated": .updated, "authors": .authors, "affiliations": .affiliations,
        "authors_truncated": .authorsTruncated, "primary_category": .primaryCategory,
        "categories": .categories, "pdf_url": .pdfURL, "abs_url": .absURL, "doi_url": .doiURL,
        "doi": .doi, "comment": .comment, "journal_ref": .journalRef, "label": .label,
        "confidence": .confidence, "secondary": .secondary, "source": .source, "annotations": .annotations,
    ]

    private mutating func record() -> Paper? {
        skipWhitespace()
        guard take(UInt8(ascii: "{")) else { return nil }
        var paper = Paper(id: "", title: "", abstract: "", published: "")
        var seen: UInt32 = 0
        var unknownKeys: [String] = []
        skipWhitespace()
        if !take(UInt8(ascii: "}")) {
            while true {
                skipWhitespace()
                guard let key = string() else { return nil }
                skipWhitespace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                if let field = Self.fields[key] {
                    let bit: UInt32 = 1 << UInt32(field.rawValue)
                    guard seen & bit == 0 else { return nil }
                    seen |= bit
                    guard assign(field, in: &paper) else { return nil }
                } else {
                    guard !unknownKeys.contains(key), skipValue(depth: 1) else { return nil }
                    unknownKeys.append(key)
                }
                skipWhitespace()
                if take(UInt8(ascii: ",")) { continue }
                guard take(UInt8(ascii: "}")) else { return nil }
                break
            }
        }
        skipWhitespace()
        let required: UInt32 = [Field.id, .title, .abstract, .published].reduce(0) { $0 | 1 << UInt32($1.rawValue) }
        guard position == end, seen & required == required else { return nil }
        return paper
    }

    /// Reads the value of a known field into `paper`; false when it has the wrong type.
    private mutating func assign(_ field: Field, in paper: inout Paper) -> Bool {
        switch field {
        case .id: return required(&paper.id)
        case .title: return required(&paper.title)
        case .abstract: return required(&paper.abstract)
        case .published: return required(&paper.published)
        case .url: return optional(&paper.url)
        case .updated: return optional(&paper.updated)
        case .primaryCategory: return optional(&paper.primaryCategory)
        case .pdfURL: return optional(&paper.pdfURL)
        case .absURL: return optional(&paper.absURL)
        case .doiURL: return optional(&paper.doiURL)
        case .doi: return optional(&paper.doi)
        case .comment: return optional(&paper.comment)
        case .journalRef: return optional(&paper.journalRef)
        case .label: return optional(&paper.label)
        case .confidence: return optional(&paper.confidence)
        case .secondary: return optional(&paper.secondary)
        case .source: return optional(&paper.source)
        case .authors: return optionalList(&paper.authors)
        case .categories: return optionalList(&paper.categories)
        case .annotations: return optionalList(&paper.annotations)
        case .affiliations:
            if literal("null") { paper.affiliations = nil; return true }
            guard let lists = array({ $0.stringList() }) else { return false }
            paper.affiliations = lists
            return true
        case .authorsTruncated:
            if literal("null") { paper.authorsTruncated = nil } else if literal("true") {
                paper.authorsTruncated = true
            } else if literal("false") { paper.authorsTruncated = false } else { return false }
            return true
        }
    }

    private mutating func required(_ target: inout String) -> Bool {
        guard let value = string() else { return false }
        target = value
        return true
    }

    private mutating func optional(_ target: inout String?) -> Bool {
        if literal("null") { target = nil; return true }
        guard let value = string() else { return false }
        target = value
        return true
    }

    private mutating func optionalList(_ target: inout [String]?) -> Bool {
        if literal("null") { target = nil; return true }
        guard let value = stringList() else { return false }
        target = value
        return true
    }

    private mutating func stringList() -> [String]? {
        array { $0.string() }
    }

    /// A JSON array whose every element `element` reads (nil on any other content).
    private mutating func array<T>(_ element: (inout PaperRecordScanner) -> T?) -> [T]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var values: [T] = []
        skipWhitespace()
        if take(UInt8(ascii: "]")) { return values }
        while true {
            skipWhitespace()
            guard let value = element(&self) else { return nil }
            values.append(value)
            skipWhitespace()
            if take(UInt8(ascii: ",")) { continue }
            return take(UInt8(ascii: "]")) ? values : nil
        }
    }

    // MARK: - JSON grammar

    private var current: UInt8? { position < end ? base[position] : nil }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard position < end, base[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func skipWhitespace() {
        while position < end {
            switch base[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard end - position >= count else { return false }
        for offset in 0..<count where base[position + offset] != word.utf8Start[offset] { return false }
        position += count
        return true
    }

    /// Skips any JSON value (for fields `Paper` does not have), checking its grammar.
    private mutating func skipValue(depth: Int) -> Bool {
        guard depth <= 64, let byte = current else { return false }
        switch byte {
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "{"):
            position += 1
            skipWhitespace()
            if take(UInt8(ascii: "}")) { return true }
            while true {
                skipWhitespace()
                guard string() != nil else { return false }
                skipWhitespace()
                guard take(UInt8(ascii: ":")) else { return false }
                skipWhitespace()
                guard skipValue(depth: depth + 1) else { return false }
                skipWhitespace()
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "}"))
            }
        case UInt8(ascii: "["):
            position += 1
            skipWhitespace()
            if take(UInt8(ascii: "]")) { return true }
            while true {
                skipWhitespace()
                guard skipValue(depth: depth + 1) else { return false }
                skipWhitespace()
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "]"))
            }
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return number()
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func number() -> Bool {
        _ = take(UInt8(ascii: "-"))
        if take(UInt8(ascii: "0")) {
            // no further integer digits after a leading zero
        } else {
            guard digits() else { return false }
        }
        if take(UInt8(ascii: ".")) { guard digits() else { return false } }
        if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
            if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
            guard digits() else { return false }
        }
        return true
    }

    private mutating func digits() -> Bool {
        let start = position
        while position < end, base[position] >= UInt8(ascii: "0"), base[position] <= UInt8(ascii: "9") { position += 1 }
        return position > start
    }

    /// A JSON string literal, unescaped; nil on a raw control character, a bad escape or a lone surrogate.
    private mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = position
        while position < end {
            skipPlainWords()
            guard position < end else { break }
            let byte = base[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return escapedString(from: start) }
            if byte < 0x20 { return nil }
            position += 1
        }
        return nil
    }

    /// Moves past whole eight-byte words of string content that need no attention: no quote, no
    /// backslash, no control byte. Stops at the word holding the first such byte (or the last < 8 bytes).
    @inline(__always)
    private mutating func skipPlainWords() {
        let raw = UnsafeRawPointer(base)
        while position + 8 <= end {
            let word = raw.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            guard !Self.hasByte(word ^ Self.quotes, below: 1), !Self.hasByte(word ^ Self.backslashes, below: 1),
                  !Self.hasByte(word, below: 0x20) else { return }
            position += 8
        }
    }

    private static let quotes: UInt64 = 0x2222_2222_2222_2222
    private static let backslashes: UInt64 = 0x5C5C_5C5C_5C5C_5C5C

    /// Whether any byte of `word` is below `limit` (≤ 0x80): exact for the whole word, though not
    /// for telling which byte (a borrow can mark a later lane too).
    @inline(__always)
    private static func hasByte(_ word: UInt64, below limit: UInt8) -> Bool {
        (word &- 0x0101_0101_0101_0101 &* UInt64(limit)) & ~word & 0x8080_8080_8080_8080 != 0
    }

    /// The rest of a string that has escapes, from its first byte at `start`. The plain runs between
    /// escapes are copied whole (abstracts with LaTeX have many escapes and long runs).
    private mutating func escapedString(from start: Int) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2 * (position - start) + 64)
        var run = start  // the first byte not copied yet
        while position < end {
            skipPlainWords()
            guard position < end else { break }
            let byte = base[position]
            if byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "\"") {
                if byte < 0x20 { return nil }
                position += 1
                continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(start: base + run, count: position - run))
            position += 1
            if byte == UInt8(ascii: "\"") { return String(decoding: bytes, as: UTF8.self) }
            guard let escape = current else { return nil }
            position += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(escape)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                guard let scalar = unicodeEscape() else { return nil }
                bytes.append(contentsOf: String(Character(scalar)).utf8)
            default: return nil
            }
            run = position
        }
        return nil
    }

    /// The scalar of a `\uXXXX` escape (the `\u` already read), joining a surrogate pair.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let first = hexQuad() else { return nil }
        switch first {
        case 0xD800..<0xDC00:
            guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let second = hexQuad(),
                  (0xDC00..<0xE000).contains(second) else { return nil }
            return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
        case 0xDC00..<0xE000:
            return nil
        default:
            return Unicode.Scalar(first)
        }
    }

    private mutating func hexQuad() -> UInt32? {
        guard end - position >= 4 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Self.hexDigit(base[position]) else { return nil }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    /// The value of one hexadecimal digit of a `\uXXXX` escape, either case; nil for any other byte.
    /// `JSONSyntaxLocator` reads escapes with it too.
    @inline(__always)
    static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
