import ArxivFeed

/// A paper's text as all three pages (Markdown, HTML, Atom) show it: the same cleaning everywhere,
/// so the formats agree on what a title, a name or an abstract says.
public enum PaperText {
    /// `text` without the characters no page should carry:
    /// - the controls HTML and XML refuse (C0 other than tab and line breaks, DEL, C1, U+FFFE/U+FFFF;
    ///   ``MarkupEscaping/validCharacters(_:)``), invisible in Markdown too;
    /// - the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). Left
    ///   unbalanced in a name or a title they reverse the rest of the line (the date, the other
    ///   names, the link text), and balancing them would still let paper text reorder what it shows.
    ///   They are dropped rather than balanced: right-to-left scripts display by the implicit bidi
    ///   rules without them. The marks U+200E/U+200F stay: each is one invisible strong character
    ///   and opens no embedding, so it cannot reach past its own words.
    static func visible(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in MarkupEscaping.validCharacters(text).unicodeScalars where !isBidiControl(scalar) {
            out.append(scalar)
        }
        return String(out)
    }

    /// U+202A–U+202E (LRE, RLE, PDF, LRO, RLO) and U+2066–U+2069 (LRI, RLI, FSI, PDI).
    static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// The title on one line.
    static func title(_ paper: Paper) -> String {
        MarkdownEscaping.singleLine(visible(paper.title))
    }

    /// True when the title as the pages show it has something to see (``hasVisibleCharacter(_:)``). A title
    /// of only bidi controls, zero-width or filler characters passes the readers' "not empty" check, yet
    /// would print an invisible link, an empty Atom title, and a digest `import-digest` reads back with an
    /// empty title.
    public static func hasVisibleTitle(_ paper: Paper) -> Bool {
        hasVisibleCharacter(title(paper))
    }

    /// True when `text` has a character that draws something: not white space, a control, a format
    /// character (U+200B, U+200E, U+FEFF…), a default-ignorable code point (the Hangul fillers U+115F,
    /// U+1160, U+3164, U+FFA0, variation selectors, U+034F…) or the blank braille pattern U+2800.
    public static func hasVisibleCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            let properties = scalar.properties
            return !DigestFormat.isPythonWhitespace(scalar) && ![.control, .format].contains(properties.generalCategory)
                && !properties.isDefaultIgnorableCodePoint && scalar != "\u{2800}"
        }
    }

    /// Each author name on one line, trimmed once the dropped characters are gone; a name with nothing
    /// visible is left out (`"Ann \u{202E}"` is `Ann`; `""` and `"\u{200B}"` are no name): a name ending in
    /// a space would end the Markdown byline's italics too early, and an invisible one would print as a
    /// stray separator and take one of the three names the Markdown page shows.
    static func authorNames(_ paper: Paper) -> [String] {
        (paper.authors ?? []).map { DigestFormat.pythonStrip(MarkdownEscaping.singleLine(visible($0))) }.filter(hasVisibleCharacter)
    }

    /// The abstract as the digest prints it: line breaks as spaces, trimmed.
    static func abstract(_ paper: Paper) -> String {
        MarkdownEscaping.singleLine(DigestFormat.pythonStrip(DigestFormat.newlinesToSpaces(visible(paper.abstract))))
    }

    /// All names, with " et al." when the list is known to be cut short; empty without names.
    static func authors(_ paper: Paper) -> String {
        let names = authorNames(paper)
        if names.isEmpty { return "" }
        let joined = names.joined(separator: DigestFormat.authorSeparator)
        return paper.authorsTruncated == true ? joined + DigestFormat.etAl : joined
    }

    /// `YYYY-MM-DD` from the published stamp.
    static func date(_ paper: Paper) -> String { DigestFormat.pythonPrefix(visible(paper.published), 10) }
}
