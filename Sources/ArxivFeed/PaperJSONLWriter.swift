import Foundation

/// Writes `Paper` records as JSON Lines, one object per line, deterministically: keys always in the
/// order of the record format (`id, url, title, abstract, published, updated, authors, affiliations,
/// authors_truncated, primary_category, categories, pdf_url, abs_url, doi_url, doi, comment,
/// journal_ref, label, confidence, secondary, source, annotations`), absent (nil) fields left out,
/// non-ASCII text written as UTF-8, and only `"`, `\` and control characters escaped (never `/`).
/// The same record always gives the same bytes.
public final class PaperJSONLWriter {
    private let handle: FileHandle
    private var pending = Data()
    private let flushThreshold = 1 << 20

    /// Writes to an open handle (a file, a pipe, standard output); call `flush()` when done.
    public init(fileHandle: FileHandle) {
        self.handle = fileHandle
    }

    /// Buffers one record; writes out every megabyte.
    public func write(_ paper: Paper) throws {
        pending.append(contentsOf: Self.line(for: paper).utf8)
        if pending.count >= flushThreshold { try flush() }
    }

    /// Writes out everything buffered.
    public func flush() throws {
        guard !pending.isEmpty else { return }
        try handle.write(contentsOf: pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// All records as one JSON Lines document (for `AtomicFile.write(_:to:)`).
    public static func encode(_ papers: [Paper]) -> Data {
        var data = Data()
        for paper in papers { data.append(contentsOf: line(for: paper).utf8) }
        return data
    }

    /// One record as a JSON object followed by "\n".
    public static func line(for paper: Paper) -> String {
        var json = JSONObjectWriter()
        json.field("id", paper.id)
        json.field("url", paper.url)
        json.field("title", paper.title)
        json.field("abstract", paper.abstract)
        json.field("published", paper.published)
        json.field("updated", paper.updated)
        json.field("authors", paper.authors)
        if let affiliations = paper.affiliations {
            json.rawField("affiliations", "[" + affiliations.map(JSONObjectWriter.array).joined(separator: ",") + "]")
        }
        if let truncated = paper.authorsTruncated { json.rawField("authors_truncated", truncated ? "true" : "false") }
        json.field("primary_category", paper.primaryCategory)
        json.field("categories", paper.categories)
        json.field("pdf_url", paper.pdfURL)
        json.field("abs_url", paper.absURL)
        json.field("doi_url", paper.doiURL)
        json.field("doi", paper.doi)
        json.field("comment", paper.comment)
        json.field("journal_ref", paper.journalRef)
        json.field("label", paper.label)
        json.field("confidence", paper.confidence)
        json.field("secondary", paper.secondary)
        json.field("source", paper.source)
        json.field("annotations", paper.annotations)
        return json.finished() + "\n"
    }
}

/// Builds one JSON object as text, field by field, in the order given.
private struct JSONObjectWriter {
    private var text = "{"

    mutating func field(_ key: String, _ value: String?) {
        if let value { rawField(key, Self.string(value)) }
    }

    mutating func field(_ key: String, _ value: [String]?) {
        if let value { rawField(key, Self.array(value)) }
    }

    mutating func rawField(_ key: String, _ json: String) {
        if text.utf8.count > 1 { text += ", " }
        text += Self.string(key) + ": " + json
    }

    func finished() -> String { text + "}" }

    static func array(_ values: [String]) -> String {
        "[" + values.map(string).joined(separator: ", ") + "]"
    }

    /// A JSON string literal: escapes `"`, `\` and U+0000–U+001F only.
    static func string(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
