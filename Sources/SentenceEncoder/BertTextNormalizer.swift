import Foundation

/// The text clean-up and word splitting of BERT's uncased tokenizer, as Hugging Face `tokenizers`
/// does it (`BertNormalizer` with lower-casing, then `BertPreTokenizer`), on Unicode scalars
/// (Rust's `char`s):
///
/// 1. clean: drop NUL, U+FFFD and control characters (general category C*, except tab, newline and
///    carriage return); every white-space character becomes a space;
/// 2. put spaces around CJK ideographs, so each is a word of its own;
/// 3. strip accents: canonical decomposition (NFD), then drop non-spacing marks (Mn);
/// 4. lower-case each scalar (full mapping, no context, as Rust's `char::to_lowercase`);
/// 5. split on white space, and make every punctuation character (ASCII punctuation or Unicode P*)
///    a word of its own.
enum BertTextNormalizer {
    /// The words of `text` after steps 1–5.
    static func words(_ text: String) -> [[Unicode.Scalar]] {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || isControl(scalar) { continue }
            if isWhitespace(scalar) {
                cleaned.append(" ")
            } else if isCJK(scalar) {
                cleaned.append(" "); cleaned.append(scalar); cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        var words: [[Unicode.Scalar]] = []
        var word: [Unicode.Scalar] = []
        func endWord() {
            if !word.isEmpty { words.append(word); word.removeAll(keepingCapacity: true) }
        }
        // Pure ASCII needs neither decomposition nor full case mapping: the common case, kept fast.
        let decomposed = cleaned.allSatisfy(\.isASCII)
            ? String(cleaned).unicodeScalars
            : String(cleaned).decomposedStringWithCanonicalMapping.unicodeScalars
        for scalar in decomposed {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            for lower in lowercased(scalar) {
                if isWhitespace(lower) {
                    endWord()
                } else if isPunctuation(lower) {
                    endWord()
                    words.append([lower])
                } else {
                    word.append(lower)
                }
            }
        }
        endWord()
        return words
    }

    @inline(__always)
    static func lowercased(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        if scalar.isASCII {
            let v = scalar.value
            return [(v >= 65 && v <= 90) ? Unicode.Scalar(v + 32)! : scalar]
        }
        return Array(scalar.properties.lowercaseMapping.unicodeScalars)
    }

    /// Rust's `char::is_whitespace` (the White_Space property), which includes tab, newline and CR.
    @inline(__always)
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0D: return true
        case 0..<0x80: return scalar.value == 0x0B || scalar.value == 0x0C
        default: return scalar.properties.isWhitespace
        }
    }

    /// Categories Cc, Cf, Cn, Co and Cs, except tab, newline and carriage return.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x20..<0x7F: return false
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .unassigned, .privateUse, .surrogate: return true
            default: return false
            }
        }
    }

    /// ASCII punctuation (including `$+<=>^`|~`, which Unicode counts as symbols) or Unicode P*.
    @inline(__always)
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 {
            return (v >= 33 && v <= 47) || (v >= 58 && v <= 64) || (v >= 91 && v <= 96) || (v >= 123 && v <= 126)
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK Unified Ideographs blocks BERT isolates (not Hangul, Hiragana or Katakana).
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
