/// The markup tokens of an HTML or XML page, for tests that check paper text created no element.
public enum MarkupTokens {
    /// Every markup token `<…>` of a page, in order (text between tags left out). Code points, not
    /// graphemes: a combining mark after `>` must not hide it.
    public static func tags(_ page: String) -> [String] {
        var tags: [String] = []
        var current: String.UnicodeScalarView?
        for scalar in page.unicodeScalars {
            if scalar == "<" {
                // A `<` inside a tag is a token of its own: text must never hold one.
                if let open = current { tags.append(String(open)) }
                current = String.UnicodeScalarView()
            }
            current?.append(scalar)
            if scalar == ">", let tag = current {
                tags.append(String(tag))
                current = nil
            }
        }
        return tags
    }
}
