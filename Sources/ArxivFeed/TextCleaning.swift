/// The whitespace rules of the original digest script (Python `arxiv` package + `str.strip`).
enum TextCleaning {
    /// Python's `str.isspace` for one scalar: the Unicode White_Space set plus the four ASCII
    /// separators U+001C–U+001F (spelled out: a switch is cheaper than `Unicode.Scalar.Properties`).
    static func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// `text.strip()`.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isPythonSpace($0) }),
              let last = scalars.lastIndex(where: { !isPythonSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }

    /// `re.sub(r"\s+", " ", text).strip()`: the title rule.
    static func collapsedWhitespace(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if isPythonSpace(scalar) {
                pendingSpace = true
            } else {
                if pendingSpace && !result.isEmpty { result.append(" ") }
                pendingSpace = false
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// `text.replace("\n", " ").strip()`: the abstract rule; other white space is kept byte for byte.
    static func abstract(_ text: String) -> String {
        trimmed(text.replacingOccurrences(of: "\n", with: " "))
    }

    /// The arXiv id without version from an entry id URL: `http://arxiv.org/abs/astro-ph/0601001v1` →
    /// `astro-ph/0601001`. Returns nil when the URL has no `/abs/` part.
    static func baseID(fromEntryURL url: String) -> String? {
        guard let abs = url.range(of: "/abs/") else { return nil }
        let versioned = url[abs.upperBound...]
        let base = withoutVersion(versioned)
        // "/abs/v2" names a version of nothing: no paper id is left once the version is dropped.
        guard !base.isEmpty else { return nil }
        return String(base)
    }

    /// Drops a trailing `v<digits>`.
    static func withoutVersion(_ id: Substring) -> Substring {
        let digits = id.reversed().prefix(while: { $0.isASCII && $0.isNumber }).count
        guard digits > 0 else { return id }
        let beforeDigits = id.dropLast(digits)
        guard beforeDigits.last == "v" else { return id }
        return beforeDigits.dropLast()
    }
}
