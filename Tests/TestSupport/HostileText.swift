import SeededRandom

/// Generated hostile paper text: titles, names and abstracts built from the pieces that break
/// Markdown, HTML and XML (link and image syntax, tags, entities, fences, headings, emphasis,
/// backslashes, line breaks, control characters, `javascript:`), mixed with ordinary words.
/// Same seed, same text.
public struct HostileText {
    public static let pieces: [String] = [
        "](https://evil.example/phish) [x", "[", "]", "](", "![img](https://evil.example/a.png)",
        "<img src=x onerror=alert(1)>", "</blockquote>", "<details open>", "<a href=\"javascript:alert(1)\">",
        "<script>alert(1)</script>", "<!-- c -->", "<https://evil.example>", "```", "~~~", "~~", "~",
        "#", "## ", "\n### injected\n", "\n", "\r", "\r\n", "*", "**", "_", "__", "\\", "\\\\", "\\*", "|",
        "javascript:alert(1)", "&amp;", "&lt;", "&#60;", "&", "\"", "'", "`code`", "`", "> ", "- ",
        "+ ", "1. ", "2) ", "---", "***", "[x]: https://evil.example", "[^1]", "$x_i$", "$",
        "\\%", "\\&", "}_{", "\u{301}", "é", "🧠", "\t", "<", ">", ":", "@", "www.evil.example",
    ]
    public static let words = ["spiking", "neural", "network", "memristor", "a", "of", "Zoë", "O'Neil", "x", "1"]

    private var random: SplitMix64

    public init(seed: UInt64) { random = SplitMix64(seed: seed) }

    /// A text of 1…`maxPieces` pieces and words, with or without spaces between them.
    public mutating func text(maxPieces: Int = 12) -> String {
        let count = 1 + random.next(below: maxPieces)
        var out = ""
        for _ in 0..<count {
            let hostile = random.next(below: 3) > 0
            out += hostile ? Self.pieces[random.next(below: Self.pieces.count)] : Self.words[random.next(below: Self.words.count)]
            if random.next(below: 2) == 0 { out += " " }
        }
        return out
    }

    /// An author name: never empty and without commas (the page separates names by ", ").
    public mutating func name() -> String {
        let name = text(maxPieces: 4).replacingOccurrences(of: ",", with: "")
        return name.isEmpty ? "N" : name
    }

    /// 0…5 names.
    public mutating func names() -> [String] {
        (0..<random.next(below: 6)).map { _ in name() }
    }

    /// A whole number below `bound`.
    public mutating func next(below bound: Int) -> Int { random.next(below: bound) }
}
