/// Paper text made safe to print on a terminal: a title or abstract is data, and a terminal would obey the
/// control sequences it may hold (ESC ]0; sets the window title, ESC ]52; writes the clipboard, CSI moves
/// the cursor or clears the screen, a right-to-left override reverses what follows). C0 controls, DEL and
/// C1 controls are shown as visible symbols (ESC as ␛, BEL as ␇), and bidirectional embeddings, overrides
/// and isolates as U+FFFD; everything else is kept. Only for terminal displays: files keep the text as it is.
enum TerminalText {
    static func safe(_ text: String) -> String { shown(text, keeping: []) }

    /// `safe` for a message of several lines: its line breaks (LF) and tabs are kept.
    static func safeMessage(_ text: String) -> String { shown(text, keeping: ["\n", "\t"]) }

    /// Columns a terminal gives `text`: 0 for combining marks and format characters (ZWJ), 2 for East Asian
    /// wide and full-width characters and emoji, 1 otherwise: `wcwidth`'s answer without its locale.
    static func columns<Text: StringProtocol>(_ text: Text) -> Int {
        text.unicodeScalars.reduce(0) { $0 + columns($1) }
    }

    static func columns(_ scalar: Unicode.Scalar) -> Int {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if properties.isEmojiPresentation { return 2 }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return 2
        default: return 1
        }
    }

    private static func shown(_ text: String, keeping kept: Set<Unicode.Scalar>) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if kept.contains(scalar) {
                result.append(scalar)
                continue
            }
            switch scalar.value {
            case 0x00...0x1F: result.append(Unicode.Scalar(0x2400 + scalar.value)!)  // Control Pictures: ␀…␟
            case 0x7F: result.append("\u{2421}")  // ␡
            case 0x80...0x9F, 0x202A...0x202E, 0x2066...0x2069: result.append("\u{FFFD}")
            default: result.append(scalar)
            }
        }
        return String(result)
    }
}
