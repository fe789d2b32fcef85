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
        pending.append(contentsOf: Self.lineBytes(for: paper))
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
        for paper in papers { data.append(contentsOf: lineBytes(for: paper)) }
        return data
    }

    /// One record as a JSON object followed by "\n".
    public static func line(for paper: Paper) -> String {
        String(decoding: lineBytes(for: paper), as: UTF8.self)
    }

    /// `line(for:)` as UTF-8 bytes.
    static func lineBytes(for paper: Paper) -> [UInt8] {
        var json = JSONObjectWriter()
        json.field("id", paper.id)
        json.field("url", paper.url)
        json.field("title", paper.title)
        json.field("abstract", paper.abstract)
        json.field("published", paper.published)
        json.field("updated", paper.updated)
        json.field("authors", paper.authors)
        json.field("affiliations", paper.affiliations)
        json.field("authors_truncated", paper.authorsTruncated)
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
        return json.finished()
    }
}

/// Builds one JSON object as UTF-8 bytes, field by field, in the order given.
private struct JSONObjectWriter {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var isEmpty = true

    init() { bytes.reserveCapacity(2_048) }

    mutating func field(_ key: String, _ value: String?) {
        guard let value else { return }
        startField(key)
        Self.appendString(value, to: &bytes)
    }

    mutating func field(_ key: String, _ value: [String]?) {
        guard let value else { return }
        startField(key)
        Self.appendArray(value, to: &bytes)
    }

    mutating func field(_ key: String, _ value: [[String]]?) {
        guard let value else { return }
        startField(key)
        bytes.append(UInt8(ascii: "["))
        for (index, inner) in value.enumerated() {
            if index > 0 { bytes.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
            Self.appendArray(inner, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func field(_ key: String, _ value: Bool?) {
        guard let value else { return }
        startField(key)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    consuming func finished() -> [UInt8] {
        bytes.append(contentsOf: [UInt8(ascii: "}"), UInt8(ascii: "\n")])
        return bytes
    }

    private mutating func startField(_ key: String) {
        if !isEmpty { bytes.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
        isEmpty = false
        Self.appendString(key, to: &bytes)
        bytes.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
    }

    private static func appendArray(_ values: [String], to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
            appendString(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private static func appendString(_ value: String, to bytes: inout [UInt8]) {
        JSONText.appendString(value, to: &bytes)
    }
}
