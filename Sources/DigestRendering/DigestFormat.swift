/// The fixed text of the digest page (the original script's), shared by the renderer and the
/// importer. What varies by field (title, intro, headings) is in ``DigestLayout``.
enum DigestFormat {
    static let titlePrefix = "# "
    static let runLinePrefix = "**Automated Daily Update** | Last Run: "
    static let runLineSuffix = " UTC"
    static let noPapersLine = "### 😴 No new papers found today."
    static let checkBackLine = "Check back tomorrow!"
    static let sectionEnd = "---"
    static let etAl = " et al."
    static let authorSeparator = ", "
    /// Between the date and the author names on a paper's second line: `**date** | *names*`.
    static let authorsOpen = " | *"
    static let maxAuthorsShown = 3
    static let absURLPrefix = "http://arxiv.org/abs/"

    /// The three header lines, each followed by a blank line.
    static func header(runTime: String, layout: DigestLayout) -> String {
        titlePrefix + layout.title + "\n\n" + runLinePrefix + runTime + runLineSuffix + "\n\n" + layout.intro + "\n\n"
    }

    /// Python's `str.isspace()` set, so trimming matches the original script's `strip()`.
    static func isPythonWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// `text.strip()` as Python does it.
    static func pythonStrip(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isPythonWhitespace($0) }),
              let last = scalars.lastIndex(where: { !isPythonWhitespace($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    /// `text.replace("\n", " ")` on code points (not graphemes, so "\n" before a combining mark counts too).
    static func newlinesToSpaces(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(scalar == "\n" ? " " : scalar) }
        return String(scalars)
    }

    /// The first `count` code points of `text`, like Python's `text[:count]`.
    static func pythonPrefix(_ text: String, _ count: Int) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(count)))
    }
}
