import ArxivFeed

/// The only links a digest prints: arXiv abstract pages.
///
/// A paper's own `url` is kept when it is `http(s)://arxiv.org/abs/<its id>` with an optional
/// `v<n>` (every entry the arXiv API sends); anything else (another host, `javascript:`, a link to a
/// different paper) is rebuilt from the id, which identifies the paper anyway. An id that is no
/// arXiv identifier cannot be linked and is refused (``DigestRenderError/invalidID(_:paperIndex:)``),
/// because it would be printed inside the link.
public enum ArxivLink {
    /// The prefix of a rebuilt link; the original digests print `http://`.
    static let rebuiltPrefix = "http://arxiv.org/abs/"

    /// True for a new-style (`2602.01874`) or old-style (`hep-th/0101001`, `math.GT/0309136`) arXiv id.
    public static func isArxivID(_ id: String) -> Bool {
        let s = Array(id.unicodeScalars)
        if let dot = s.firstIndex(of: "."), dot == 4, s[..<dot].allSatisfy(\.isASCIIDigit) {
            let tail = s[(dot + 1)...]
            return (4...5).contains(tail.count) && tail.allSatisfy(\.isASCIIDigit)
        }
        guard let slash = s.firstIndex(of: "/") else { return false }
        let number = s[(slash + 1)...]
        guard number.count == 7, number.allSatisfy(\.isASCIIDigit) else { return false }
        var archive = s[..<slash]
        if archive.count > 3, archive[archive.endIndex - 3] == ".",
           archive.suffix(2).allSatisfy({ ("A"..."Z").contains($0) }) {
            archive = archive.dropLast(3)
        }
        let parts = archive.split(separator: "-", omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { ("a"..."z").contains($0) } }
    }

    /// The arXiv id in an abstract URL `http(s)://arxiv.org/abs/<id>[v<n>]`, without the version;
    /// nil for any other URL.
    public static func id(inAbstractURL url: String) -> String? {
        var rest = Substring(url)
        if rest.hasPrefix("https://") { rest = rest.dropFirst(8) } else if rest.hasPrefix("http://") { rest = rest.dropFirst(7) } else { return nil }
        guard rest.hasPrefix("arxiv.org/abs/") else { return nil }
        rest = rest.dropFirst("arxiv.org/abs/".count)
        let digits = rest.reversed().prefix(while: { $0.isASCII && $0.isNumber }).count
        if digits > 0, rest.dropLast(digits).last == "v" { rest = rest.dropLast(digits + 1) }
        let id = String(rest)
        return isArxivID(id) ? id : nil
    }

    /// The link to print for `paper` (its own abstract URL, or one built from its id), or nil when the
    /// id is no arXiv identifier.
    public static func abstractURL(for paper: Paper) -> String? {
        guard isArxivID(paper.id) else { return nil }
        if let url = paper.url, id(inAbstractURL: url) == paper.id { return url }
        return rebuiltPrefix + paper.id
    }

    /// ``abstractURL(for:)`` or the error naming the paper.
    static func checkedURL(for paper: Paper, index: Int) throws -> String {
        guard let url = abstractURL(for: paper) else { throw DigestRenderError.invalidID(paper.id, paperIndex: index) }
        return url
    }
}
