/// Profile text as error messages show it, with control characters, invisible format characters and line or
/// paragraph separators written as `\u{…}`, so a key or value can neither drive the terminal (an escape
/// sequence) nor hide (an invisible character that makes two labels look alike). The joiners U+200C and
/// U+200D are kept: they belong to Persian words and emoji sequences.
enum ProfileText {
    /// `text` in double quotes (a quote or backslash inside escaped with a backslash).
    static func quoted(_ text: String) -> String { "\"" + escaped(text, quoteMarks: true) + "\"" }

    /// `text` as it is written, only its invisible characters escaped: for a value's own rendering (a TOML
    /// number, array or quoted string) that must not be quoted again.
    static func escaped(_ text: String, quoteMarks: Bool = false) -> String {
        var shown = ""
        for scalar in text.unicodeScalars {
            if isInvisible(scalar) {
                shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                if quoteMarks, scalar == "\"" || scalar == "\\" { shown += "\\" }
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    /// Control characters, format characters other than the two joiners, and line and paragraph separators.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        case .format: return scalar != "\u{200C}" && scalar != "\u{200D}"
        default: return false
        }
    }
}
