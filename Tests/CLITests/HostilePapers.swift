import ArxivFeed
import Foundation
import TestSupport

/// Generated hostile papers as a JSON Lines file, and the same papers with plain text: the page a
/// hostile page must match element for element.
enum HostilePapers {
    static let labels = ["hardware", "algorithms", "applications", "general"]

    static func papers(seed: UInt64, count: Int) -> [Paper] {
        var gen = HostileText(seed: seed)
        return (0..<count).map { i in
            let id = String(format: "2603.%05d", i)
            let url = gen.next(below: 2) == 0 ? "http://arxiv.org/abs/\(id)v1" : "javascript:alert(\(i))"
            var title = gen.text()
            // Input refuses a blank title (it would be an invisible link): give such a one a word.
            if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { title += "x" }
            return Paper(id: id, url: url, title: title, abstract: gen.text(maxPieces: 30), published: "2026-03-01T10:00:00Z",
                         authors: gen.names(), label: labels[gen.next(below: labels.count)])
        }
    }

    static func plain(_ papers: [Paper]) -> [Paper] {
        papers.map { paper in
            var plain = paper
            plain.title = "Title \(paper.id)"
            plain.abstract = "Abstract."
            plain.authors = paper.authors.map { $0.map { _ in "Name" } }
            return plain
        }
    }

    @discardableResult
    static func write(_ papers: [Paper], to url: URL) throws -> URL {
        try PaperJSONLWriter.encode(papers).write(to: url)
        return url
    }

    /// What a page shows of a text: one line, without the characters HTML and XML forbid.
    static func shown(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D: out.append(" ")
            case 0x09: out.append(scalar)
            case 0x00...0x1F, 0x7F...0x9F, 0xFFFE, 0xFFFF: continue
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// HTML text with the references a serializer writes turned back into characters (code points).
    static func decodeText(_ html: String) -> String {
        let references: [(String, Unicode.Scalar)] = [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"),
                                                      ("&nbsp;", "\u{A0}"), ("&amp;", "&")]
        let s = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        outer: while i < s.count {
            if s[i] == "&" {
                for (name, char) in references where s[i...].starts(with: name.unicodeScalars) {
                    out.append(char)
                    i += name.unicodeScalars.count
                    continue outer
                }
            }
            out.append(s[i])
            i += 1
        }
        return String(out)
    }

    /// The text between each `open` and the next `close`, matched code point for code point (a
    /// combining mark after a tag's `>` must not hide it).
    static func between(_ open: String, _ close: String, in text: String) -> [String] {
        let s = Array(text.unicodeScalars), a = Array(open.unicodeScalars), b = Array(close.unicodeScalars)
        func find(_ n: [Unicode.Scalar], from start: Int) -> Int? {
            guard s.count >= n.count, start <= s.count - n.count else { return nil }
            return (start...(s.count - n.count)).first { s[$0..<($0 + n.count)].elementsEqual(n) }
        }
        var found: [String] = []
        var position = 0
        while let start = find(a, from: position), let end = find(b, from: start + a.count) {
            found.append(String(String.UnicodeScalarView(s[(start + a.count)..<end])))
            position = end + b.count
        }
        return found
    }
}
