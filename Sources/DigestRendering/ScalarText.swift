/// Code-point string operations for the importer. Swift's `String` compares grapheme clusters, so
/// `"### [\u{301}x".hasPrefix("### [")` is false; the digest format is defined on code points.
struct ScalarText {
    let scalars: [Unicode.Scalar]

    init(_ text: String) { scalars = Array(text.unicodeScalars) }
    init(_ scalars: ArraySlice<Unicode.Scalar>) { self.scalars = Array(scalars) }

    var string: String { String(String.UnicodeScalarView(scalars)) }
    var isEmpty: Bool { scalars.isEmpty }
    var count: Int { scalars.count }

    func hasPrefix(_ prefix: String) -> Bool { scalars.starts(with: prefix.unicodeScalars) }

    func hasSuffix(_ suffix: String) -> Bool {
        let tail = Array(suffix.unicodeScalars)
        return scalars.count >= tail.count && Array(scalars.suffix(tail.count)) == tail
    }

    func equals(_ other: String) -> Bool { scalars.elementsEqual(other.unicodeScalars) }

    /// Code points `range` of this text.
    func slice(_ range: Range<Int>) -> ScalarText { ScalarText(scalars[range]) }

    /// Start offsets of `needle` from `from`, first or last.
    func firstOffset(of needle: String, from start: Int = 0) -> Int? {
        let n = Array(needle.unicodeScalars)
        guard scalars.count >= n.count, start <= scalars.count - n.count else { return nil }
        return (start...(scalars.count - n.count)).first { Array(scalars[$0..<($0 + n.count)]) == n }
    }

    func lastOffset(of needle: String) -> Int? {
        let n = Array(needle.unicodeScalars)
        guard scalars.count >= n.count else { return nil }
        return (0...(scalars.count - n.count)).reversed().first { Array(scalars[$0..<($0 + n.count)]) == n }
    }
}
