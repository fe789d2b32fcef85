/// Character rules of CPython 3.11 (Unicode 14.0), which scikit-learn's default analyzer relies on:
/// `str.lower()` and the `\w` class of `re` for str patterns.
///
/// Swift's stdlib knows a newer Unicode version, so every property is gated on the scalar's
/// `age`: a scalar assigned after 14.0 is unassigned to Python (not a word character, no case).
/// Checked against Python over every code point in the tests.
public enum PythonUnicode {
    /// The Unicode version of Python 3.11's `unicodedata`.
    public static let unicodeVersion = (major: 14, minor: 0)

    /// Whether Python's `re` treats `scalar` as `\w`: `str.isalnum()` (letters L*, or any scalar
    /// with a numeric type: decimals, digits, numerics) or underscore.
    @inlinable
    public static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x10000 { return ScalarTable.shared.flags[Int(v)] & ScalarTable.word != 0 }
        return computeFlags(scalar) & ScalarTable.word != 0
    }

    /// Python's `str.lower()`: full lower-case mappings, plus the Final_Sigma rule for 'Σ'.
    public static func lowercased(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var previousCased = false
        for (i, s) in scalars.enumerated() {
            if s.value == 0x3A3 {
                out.append(Unicode.Scalar(isFinalSigma(previousCased: previousCased, following: scalars[(i + 1)...]) ? 0x3C2 : 0x3C3)!)
            } else {
                forEachLowercaseScalar(of: s) { out.append(Unicode.Scalar($0)!) }
            }
            let f = flags(s)
            if f & ScalarTable.caseIgnorable == 0 { previousCased = f & ScalarTable.cased != 0 }
        }
        return String(out)
    }

    /// CPython's Final_Sigma test: the nearest non-case-ignorable scalar before is cased, and the
    /// nearest one after (if any) is not.
    @usableFromInline
    static func isFinalSigma<S: Sequence>(previousCased: Bool, following: S) -> Bool where S.Element == Unicode.Scalar {
        guard previousCased else { return false }
        for s in following {
            let f = flags(s)
            if f & ScalarTable.caseIgnorable != 0 { continue }
            return f & ScalarTable.cased == 0
        }
        return true
    }

    /// The flags (`ScalarTable.word`, `.cased`, `.caseIgnorable`) of any scalar.
    @inlinable
    static func flags(_ scalar: Unicode.Scalar) -> UInt8 {
        let v = scalar.value
        if v < 0x10000 { return ScalarTable.shared.flags[Int(v)] }
        return computeFlags(scalar)
    }

    /// Calls `body` with each scalar value of Python's lower-case mapping of `scalar` (not 'Σ').
    @inlinable
    static func forEachLowercaseScalar(of scalar: Unicode.Scalar, _ body: (UInt32) -> Void) {
        let v = scalar.value
        if v < 0x10000 {
            let mapped = ScalarTable.shared.lower[Int(v)]
            if mapped != ScalarTable.multiScalar { body(mapped); return }
        } else if !knownToPython(scalar) || !scalar.properties.changesWhenLowercased {
            body(v); return
        }
        for s in scalar.properties.lowercaseMapping.unicodeScalars { body(s.value) }
    }

    @usableFromInline
    static func knownToPython(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else { return false }
        return age.major < unicodeVersion.major || (age.major == unicodeVersion.major && age.minor <= unicodeVersion.minor)
    }

    /// Scalars whose case properties changed after Unicode 14.0 (found by the all-code-point test):
    /// U+0295 'ʕ' was Ll (cased) and is Lo now; U+1171E AHOM MEDIAL RA was Mn (case-ignorable) and is Mc now.
    static let unicode14Flags: [UInt32: UInt8] = [
        0x0295: ScalarTable.word | ScalarTable.cased,
        0x1171E: ScalarTable.caseIgnorable,
    ]

    @usableFromInline
    static func computeFlags(_ scalar: Unicode.Scalar) -> UInt8 {
        if scalar == "_" { return ScalarTable.word }
        if let flags = unicode14Flags[scalar.value] { return flags }
        guard knownToPython(scalar) else { return 0 }
        let p = scalar.properties
        var f: UInt8 = 0
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            f |= ScalarTable.word
        default:
            if p.numericType != nil { f |= ScalarTable.word }
        }
        if p.isCased { f |= ScalarTable.cased }
        if p.isCaseIgnorable { f |= ScalarTable.caseIgnorable }
        return f
    }
}

/// Precomputed flags and single-scalar lower-case mappings for the Basic Multilingual Plane,
/// so the tokenizer's hot loop does no property look-ups and no allocation.
@usableFromInline
final class ScalarTable: Sendable {
    @usableFromInline static let word: UInt8 = 1
    @usableFromInline static let cased: UInt8 = 2
    @usableFromInline static let caseIgnorable: UInt8 = 4
    /// Marks a BMP scalar whose lower-case mapping has several scalars (only 'İ').
    @usableFromInline static let multiScalar: UInt32 = .max

    @usableFromInline static let shared = ScalarTable()

    @usableFromInline let flags: [UInt8]
    @usableFromInline let lower: [UInt32]
    /// Per ASCII byte: the byte a token gets for it (lower-cased, or as is), or 0 if it is not a word character.
    let asciiWordLowercased: [UInt8]
    let asciiWordVerbatim: [UInt8]

    private init() {
        var flags = [UInt8](repeating: 0, count: 0x10000)
        var lower = [UInt32](repeating: 0, count: 0x10000)
        for v in 0..<UInt32(0x10000) {
            lower[Int(v)] = v
            guard let s = Unicode.Scalar(v) else { continue }  // surrogates
            flags[Int(v)] = PythonUnicode.computeFlags(s)
            guard PythonUnicode.knownToPython(s), s.properties.changesWhenLowercased else { continue }
            let mapped = Array(s.properties.lowercaseMapping.unicodeScalars)
            lower[Int(v)] = mapped.count == 1 ? mapped[0].value : ScalarTable.multiScalar
        }
        self.flags = flags
        self.lower = lower
        asciiWordVerbatim = (0..<UInt8(0x80)).map { flags[Int($0)] & ScalarTable.word != 0 ? $0 : 0 }
        asciiWordLowercased = (0..<UInt8(0x80)).map { flags[Int($0)] & ScalarTable.word != 0 ? UInt8(lower[Int($0)]) : 0 }
    }
}
