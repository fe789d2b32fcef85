import ArxivFeed

/// Renders a digest as an Atom feed (RFC 4287): one entry per paper, so a feed reader shows each
/// new paper once.
///
/// Entry ids are the paper's abstract URL without version (`http://arxiv.org/abs/2602.01874`):
/// the same paper keeps its id in every run and in every version, so readers show only new papers.
/// Each entry has the paper's title, link, published and updated times, authors, abstract as
/// summary, and its section as category (`term` = label, `label` = heading). All text is
/// XML-escaped by ``MarkupEscaping``, which also drops the characters XML forbids.
public enum DigestAtomRenderer {
    /// Where the feed lives and how it is named.
    public struct FeedAddress: Sendable, Equatable {
        /// The feed's own URL (the `self` link); a relative reference such as `feed.xml` is allowed.
        public var selfURL: String
        /// The feed id: an IRI that never changes for this digest.
        public var id: String

        public init(selfURL: String, id: String) {
            self.selfURL = selfURL
            self.id = id
        }

        /// `selfURL` when it is absolute, else a `tag:` URI made from the layout title, so the id is
        /// a valid IRI that stays the same from run to run.
        public static func defaultAddress(selfURL: String, layout: DigestLayout) -> FeedAddress {
            if selfURL.lowercased().hasPrefix("https://") || selfURL.lowercased().hasPrefix("http://") { return FeedAddress(selfURL: selfURL, id: selfURL) }
            return FeedAddress(selfURL: selfURL, id: "tag:arxiv-digest,2026:" + tagName(title: layout.title))
        }

        /// A file name as a relative URI reference for the default self link: every character but ASCII
        /// letters, digits and `-._~` percent-encoded (UTF-8), so a space, `#`, `%` or `?` cannot break the
        /// address and a `:` cannot make `javascript:x.xml` read as a scheme.
        public static func relativeReference(fileName: String) -> String {
            var out = ""
            for byte in fileName.utf8 {
                let scalar = Unicode.Scalar(byte)
                if scalar.isASCIILetter || scalar.isASCIIDigit || "-._~".unicodeScalars.contains(scalar) {
                    out.unicodeScalars.append(scalar)
                } else {
                    out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
                }
            }
            return out
        }

        /// The title's ASCII words, lower-cased and joined by dashes
        /// (`🧠 Open Neuromorphic - Daily ArXiv` → `open-neuromorphic-daily-arxiv`). When that loses
        /// words (letters or digits outside ASCII, as in `量子计算 - Daily ArXiv`) or leaves nothing
        /// (`🧠🧠`), a hash of the whole title follows (`daily-arxiv-1c2d3e4f`, `digest-…`), so such
        /// titles get ids of their own; ASCII titles keep the id they always had.
        static func tagName(title: String) -> String {
            let slug = title.lowercased().unicodeScalars
                .map { $0.isASCIILetter || $0.isASCIIDigit ? String($0) : "-" }.joined()
                .split(separator: "-").joined(separator: "-")
            let losesWords = title.unicodeScalars.contains { !$0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil) }
            guard losesWords || slug.isEmpty else { return slug }
            return (slug.isEmpty ? "digest" : slug) + "-" + fnv1a32Hex(title)
        }

        /// FNV-1a (32 bits) of the UTF-8 bytes as 8 hex digits: fixed by its definition, so the same
        /// title gives the same id on every machine and in every release.
        static func fnv1a32Hex(_ text: String) -> String {
            var hash: UInt32 = 0x811C_9DC5
            for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
            let hex = String(hash, radix: 16)
            return String(repeating: "0", count: 8 - hex.count) + hex
        }
    }

    /// Renders `papers` with `labels[i]` as the section label of `papers[i]`.
    /// - Parameter runTime: `YYYY-MM-DD HH:MM` in UTC; the feed's `updated`, and a paper's times when
    ///   its own are no date.
    /// - Throws: ``DigestRenderError`` for a label the layout lacks, an id that is no arXiv id, or mismatched counts.
    public static func render(papers: [Paper], labels: [String], layout: DigestLayout, runTime: String,
                              address: FeedAddress) throws -> String {
        let grouping = try DigestGrouping(papers: papers, labels: labels, layout: layout)
        let e = MarkupEscaping.escape
        let updated = AtomTime.stamp(runTime: runTime)
        var feed = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <id>\(e(address.id))</id>
              <title type="text">\(e(layout.title))</title>
              <subtitle type="text">\(e(layout.intro))</subtitle>
              <updated>\(updated)</updated>
              <link rel="self" type="application/atom+xml" href="\(e(address.selfURL))"/>
              <author><name>\(e(layout.title))</name></author>
              <generator>arxiv-digest</generator>

            """
        for (_, items) in grouping.sections {
            for item in items { feed += entry(item, fallbackTime: updated) }
        }
        feed += "</feed>\n"
        return feed
    }

    private static func entry(_ item: DigestGrouping.Item, fallbackTime: String) -> String {
        let e = MarkupEscaping.escape
        let paper = item.paper
        let published = AtomTime.stamp(paperTime: paper.published) ?? fallbackTime
        let updated = paper.updated.flatMap(AtomTime.stamp(paperTime:)) ?? published
        var entry = """
              <entry>
                <id>\(e(ArxivLink.rebuiltPrefix + paper.id))</id>
                <title type="text">\(e(PaperText.title(paper)))</title>
                <link rel="alternate" type="text/html" href="\(e(item.link))"/>
                <published>\(published)</published>
                <updated>\(updated)</updated>

            """
        for name in PaperText.authorNames(paper) {
            entry += "    <author><name>\(e(name))</name></author>\n"
        }
        entry += "    <summary type=\"text\">\(e(PaperText.abstract(paper)))</summary>\n"
        entry += "    <category term=\"\(e(item.section.label))\" label=\"\(e(item.section.heading))\"/>\n"
        entry += "  </entry>\n"
        return entry
    }
}
