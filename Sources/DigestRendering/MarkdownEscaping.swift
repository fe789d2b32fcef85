/// Puts paper text into the digest Markdown so that it can never add structure, and takes it out again.
///
/// The page is read by GitHub (CommonMark + GFM). A title, an author or an abstract must show as the
/// same text and never open a link, an image, HTML, an autolink in angle brackets, a code span or
/// fence, a heading, a list, a quote or a link reference definition. The escapes are CommonMark's own
/// (a backslash before ASCII punctuation, `&amp;` and `&lt;` references), and they are
/// added only where a character could act, so ordinary text, the seed digests included, prints
/// byte for byte as the original script printed it.
///
/// What is escaped, per field (a field is one title, the date, the author line, one abstract):
/// - always: `*`; `<` before a letter, `/`, `!` or `?` (HTML, autolinks) becomes `&lt;`; `&` that
///   starts an entity (`&amp;`, `&#38;`) becomes `&amp;`; a `~` run of two or more (strikethrough,
///   fences);
/// - `[` and `]` in titles and the author line (a title sits inside the heading's link text); in an
///   abstract a `]` right before `(` (an inline link) and a `[` at its start (a definition);
/// - backticks in the author line, and in a title or abstract that holds two or more of them (a code
///   span needs a pair);
/// - a `_` run that CommonMark could read as emphasis (it opens or closes), except inside `$…$`,
///   which GitHub typesets as math (the seeds' `$\mathcal{B}_{0}$`);
/// - at the start of an abstract (the start of a line): `#`, `>`, `-`, `+`, `_`, `~`, and the `.` or
///   `)` after leading digits (headings, quotes, lists, thematic breaks, fences);
/// - a backslash that would otherwise escape what follows it (ASCII punctuation other than `%` and
///   `&`, a reference written for `&` or `<`, or the end of the field) is doubled.
///
/// Two things are deliberately left as the original printed them, because the seed digests must
/// render byte for byte and arXiv abstracts are LaTeX: `\%` and `\&` (GitHub shows `%` and `&`),
/// and a single `~` (LaTeX's non-breaking space; GitHub may strike the text between two of them).
/// Neither can create a link, an element or a block. Bare URLs and e-mail addresses are left too
/// (the seeds' abstracts cite GitHub repositories): GFM links them, but such a link shows its own
/// address, so it cannot disguise where it goes.
///
/// Line breaks (`\n`, `\r`) become spaces before escaping: one field is one line. Everything else
/// round-trips: ``unescape(_:)`` of ``escape(_:in:)`` is the text.
enum MarkdownEscaping {
    /// Where a text goes; each position has its own dangers.
    enum Field {
        case title, metaLine, abstract
    }

    /// CommonMark line endings in a field become spaces: one field is one line of the page.
    static func singleLine(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(scalar == "\n" || scalar == "\r" ? " " : scalar) }
        return String(scalars)
    }

    /// `text` escaped for `field` (it must already be one line). `literal` holds the offsets (in Unicode
    /// scalars) of ASCII punctuation the caller needs escaped as well: a comma inside an author's name,
    /// which would otherwise read as the separator between two names.
    static func escape(_ text: String, in field: Field, literal: Set<Int> = []) -> String {
        let t = Array(text.unicodeScalars)
        var escaped = [Bool](repeating: false, count: t.count)
        for i in literal where t.indices.contains(i) && isEscapable(t[i]) { escaped[i] = true }
        // Characters written as a reference instead: `&` → `&amp;`, `<` → `&lt;`.
        var reference = [String?](repeating: nil, count: t.count)
        let backticks = t.filter { $0 == "`" }.count
        let math = mathSpans(t)

        for (i, c) in t.enumerated() {
            let next: Unicode.Scalar? = i + 1 < t.count ? t[i + 1] : nil
            switch c {
            case "*":
                escaped[i] = true
            case "<":
                // A reference, not `\<`: a bare URL that GFM links runs up to a `<` and would take the
                // backslash into the link, leaving the `<` bare.
                if let next, next.isASCIILetter || next == "/" || next == "!" || next == "?" { reference[i] = "&lt;" }
            case "&":
                if startsEntity(t, at: i) { reference[i] = "&amp;" }
            case "[", "]":
                switch field {
                case .title, .metaLine: escaped[i] = true
                case .abstract: escaped[i] = (c == "[" && i == 0) || (c == "]" && next == "(")
                }
            case "`":
                escaped[i] = field == .metaLine || backticks >= 2
            default:
                break
            }
        }
        markDelimiterRuns(t, escaped: &escaped, math: math)
        if field == .abstract { markLineStart(t, escaped: &escaped) }

        var out = String.UnicodeScalarView()
        for (i, c) in t.enumerated() {
            if let replacement = reference[i] {
                out.append(contentsOf: replacement.unicodeScalars)
                continue
            }
            if c == "\\" {
                // Doubled when it would escape what follows: the next output character, or the
                // delimiter that ends the field (`]`, `*`, `,`).
                let next = i + 1 < t.count ? i + 1 : nil
                if next == nil || reference[next!] != nil || escaped[next!] || isEscapable(t[next!]) { escaped[i] = true }
            }
            if escaped[i] { out.append("\\") }
            out.append(c)
        }
        return String(out)
    }

    /// The text that ``escape(_:in:)`` was given: `\` + escapable punctuation → the punctuation,
    /// `&amp;` → `&`, `&lt;` → `<`; everything else as is (so `\%` in a seed stays `\%`).
    static func unescape(_ text: String) -> String {
        let t = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < t.count {
            if t[i] == "\\", i + 1 < t.count, isEscapable(t[i + 1]) {
                out.append(t[i + 1])
                i += 2
            } else if t[i] == "&", t[i...].starts(with: "&amp;".unicodeScalars) {
                out.append("&")
                i += 5
            } else if t[i] == "&", t[i...].starts(with: "&lt;".unicodeScalars) {
                out.append("<")
                i += 4
            } else {
                out.append(t[i])
                i += 1
            }
        }
        return String(out)
    }

    /// ASCII punctuation a backslash escapes in our pages. `%` and `&` are left out so that LaTeX's
    /// `\%` and `\&` in abstracts (and the seed digests) stay as they are.
    static func isEscapable(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCIIPunctuation && scalar != "%" && scalar != "&"
    }

    /// `&name;`, `&#123;` or `&#x1F;` starts at `i` (CommonMark entity and numeric references).
    private static func startsEntity(_ t: [Unicode.Scalar], at i: Int) -> Bool {
        var j = i + 1
        guard j < t.count else { return false }
        if t[j] == "#" {
            j += 1
            if j < t.count, t[j] == "x" || t[j] == "X" { j += 1 }
        }
        let start = j
        while j < t.count, t[j].isASCIILetter || t[j].isASCIIDigit { j += 1 }
        return j > start && j < t.count && t[j] == ";"
    }

    /// `_` runs that could open or close emphasis (CommonMark's flanking rules), outside math;
    /// `~` runs of two or more.
    private static func markDelimiterRuns(_ t: [Unicode.Scalar], escaped: inout [Bool], math: [Bool]) {
        var i = 0
        while i < t.count {
            let c = t[i]
            guard c == "_" || c == "~" else { i += 1; continue }
            var end = i
            while end < t.count, t[end] == c { end += 1 }
            let mark: Bool
            if c == "~" {
                mark = end - i >= 2
            } else if math[i] {
                mark = false
            } else {
                // A field's end touches white space or punctuation (`]`, `*`, `** | *`): try both.
                let befores: [Unicode.Scalar] = i > 0 ? [t[i - 1]] : [" ", "*"]
                let afters: [Unicode.Scalar] = end < t.count ? [t[end]] : [" ", "*"]
                mark = befores.contains { before in afters.contains { after in canDelimit(before: before, after: after) } }
            }
            if mark { for k in i..<end { escaped[k] = true } }
            i = end
        }
    }

    /// CommonMark: a `_` run between `before` and `after` can open or close emphasis.
    private static func canDelimit(before: Unicode.Scalar, after: Unicode.Scalar) -> Bool {
        let left = !after.isMarkdownWhitespace
            && (!after.isMarkdownPunctuation || before.isMarkdownWhitespace || before.isMarkdownPunctuation)
        let right = !before.isMarkdownWhitespace
            && (!before.isMarkdownPunctuation || after.isMarkdownWhitespace || after.isMarkdownPunctuation)
        let canOpen = left && (!right || before.isMarkdownPunctuation)
        let canClose = right && (!left || after.isMarkdownPunctuation)
        return canOpen || canClose
    }

    /// Block starts at the beginning of an abstract line: headings, quotes, lists, breaks, fences.
    private static func markLineStart(_ t: [Unicode.Scalar], escaped: inout [Bool]) {
        guard let first = t.first else { return }
        if "#>-+_~".unicodeScalars.contains(first) { escaped[0] = true }
        let digits = t.prefix(while: { $0.isASCIIDigit }).count
        if digits > 0, digits < t.count, t[digits] == "." || t[digits] == ")" { escaped[digits] = true }
    }

    /// Which characters lie inside `$…$` (an opening `$` before a non-space, closed by the next `$`
    /// after a non-space), as GitHub reads inline math.
    private static func mathSpans(_ t: [Unicode.Scalar]) -> [Bool] {
        var inside = [Bool](repeating: false, count: t.count)
        var i = 0
        while i < t.count {
            guard t[i] == "$", i + 1 < t.count, !t[i + 1].isMarkdownWhitespace, t[i + 1] != "$" else { i += 1; continue }
            var j = i + 1
            while j < t.count, !(t[j] == "$" && !t[j - 1].isMarkdownWhitespace && j > i + 1) { j += 1 }
            guard j < t.count else { break }
            for k in i...j { inside[k] = true }
            i = j + 1
        }
        return inside
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }

    /// CommonMark's ASCII punctuation: ``!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~``.
    var isASCIIPunctuation: Bool {
        switch value {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return true
        default: return false
        }
    }

    /// CommonMark's Unicode whitespace (Zs, tab, line feed, form feed, carriage return).
    var isMarkdownWhitespace: Bool {
        value == 0x09 || value == 0x0A || value == 0x0C || value == 0x0D || properties.generalCategory == .spaceSeparator
    }

    /// CommonMark's Unicode punctuation: ASCII punctuation and the P and S categories.
    var isMarkdownPunctuation: Bool {
        if isASCIIPunctuation { return true }
        switch properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }
}
