import Foundation
import TOMLKit

/// Turns profile text into a ``DigestProfile``, checking each rule in the order a reader meets the
/// keys, so the first error is the first fault in the file.
struct ProfileParser {
    let text: String
    let file: URL
    let displayName: String
    private let lines: KeyLines

    init(text: String, file: URL, displayName: String) {
        self.text = text
        self.file = file
        self.displayName = displayName
        self.lines = KeyLines(text: text)
    }

    static let topKeys = ["name", "model", "fallback", "min_confidence", "library", "page", "query", "sections", "outputs"]
    static let pageKeys = ["title", "intro"]
    static let queryKeys = ["search", "max_results"]
    static let sectionKeys = ["label", "heading", "keywords"]
    static let outputKeys = ["markdown", "html", "atom"]

    func parse() throws -> DigestProfile {
        if let nul = text.unicodeScalars.firstIndex(of: "\0") {
            let line = text.unicodeScalars[..<nul].filter { $0 == "\n" }.count + 1
            throw DigestProfileError(file: displayName, line: line, key: nil, reason: "the file holds a NUL character")
        }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw DigestProfileError(file: displayName, line: error.source.begin.line, key: nil,
                                     reason: "not valid TOML: \(error.description)")
        }
        try rejectUnknownKeys(root, allowed: Self.topKeys, table: "")

        let name = try requiredString(root, "name", table: "", singleLine: true)
        let model = try requiredString(root, "model", table: "", filePath: true)
        let pageTable = try requiredTable(root, "page")
        try rejectUnknownKeys(pageTable, allowed: Self.pageKeys, table: "page")
        let page = DigestProfile.Page(
            title: try requiredString(pageTable, "title", table: "page", singleLine: true),
            intro: try requiredString(pageTable, "intro", table: "page", singleLine: true))
        let queryTable = try requiredTable(root, "query")
        try rejectUnknownKeys(queryTable, allowed: Self.queryKeys, table: "query")
        let search = try requiredString(queryTable, "search", table: "query")
        var maxResults = DigestProfile.Query.defaultMaxResults
        if let value = queryTable["max_results"] {
            guard let count = value.int, DigestProfile.Query.maxResultsRange.contains(count) else {
                let range = DigestProfile.Query.maxResultsRange
                throw fault("max_results", table: "query", "must be a whole number from \(range.lowerBound) to \(range.upperBound), got \(ProfileText.escaped("\(value)"))")
            }
            maxResults = count
        }
        let sections = try parseSections(root)
        let fallback = try requiredString(root, "fallback", table: "")
        guard sections.contains(where: { $0.label == fallback }) else {
            throw fault("fallback", table: "", "\(ProfileText.quoted(fallback)) is no section label; the sections are \(sections.map(\.label).joined(separator: ", "))")
        }

        var minConfidence: Double?
        if let value = root["min_confidence"] {
            guard let number = value.double ?? value.int.map(Double.init), (0...1).contains(number) else {
                throw fault("min_confidence", table: "", "must be a number from 0 to 1, got \(ProfileText.escaped("\(value)"))")
            }
            minConfidence = number
        }
        let library = try optionalString(root, "library", table: "", filePath: true).map(resolve)
        var outputs = DigestProfile.Outputs()
        if root["outputs"] != nil {
            let table = try requiredTable(root, "outputs")
            try rejectUnknownKeys(table, allowed: Self.outputKeys, table: "outputs")
            outputs.markdown = try optionalString(table, "markdown", table: "outputs", filePath: true).map(resolve)
            outputs.html = try optionalString(table, "html", table: "outputs", filePath: true).map(resolve)
            outputs.atom = try optionalString(table, "atom", table: "outputs", filePath: true).map(resolve)
        }
        return DigestProfile(
            file: file, name: name, modelURL: resolve(model), page: page,
            query: DigestProfile.Query(search: search, maxResults: maxResults),
            sections: sections, fallback: fallback, minConfidence: minConfidence, libraryURL: library, outputs: outputs)
    }

    private func parseSections(_ root: TOMLTable) throws -> [DigestProfile.Section] {
        guard let value = root["sections"] else {
            throw DigestProfileError(file: displayName, line: nil, key: "sections",
                                     reason: "missing; add one [[sections]] table (label, heading) per topic")
        }
        guard let array = value.array else { throw fault("sections", table: "", "must be an array of tables: write [[sections]]") }
        guard array.count >= 2 else {
            throw fault("sections", table: "", "a digest needs at least two sections, found \(array.count)", line: lines.line(ofTable: "sections"))
        }
        var sections: [DigestProfile.Section] = []
        for index in 0..<array.count {
            let where_ = "sections[\(index + 1)]"
            guard let table = array[index].table else {
                throw fault(where_, table: "", "must be a table with label and heading", line: lines.line(ofTable: "sections", index: index))
            }
            try rejectUnknownKeys(table, allowed: Self.sectionKeys, table: "sections", index: index)
            let label = try requiredString(table, "label", table: "sections", index: index)
            guard label.unicodeScalars.allSatisfy(Self.isLabelScalar) else {
                throw fault("label", table: "sections", index: index,
                            "\(ProfileText.quoted(label)) must be one word: no spaces, commas, control or invisible characters (write \"error-correction\", not \"error correction\")")
            }
            guard label != DigestProfile.offTopicLabel else {
                throw fault("label", table: "sections", index: index,
                            "\(ProfileText.quoted(label)) is reserved for papers that belong in no section (the labeller's o key); a digest leaves them out, so choose another label")
            }
            if sections.contains(where: { $0.label == label }) {
                throw fault("label", table: "sections", index: index, "\(ProfileText.quoted(label)) is already the label of an earlier section; labels must be unique")
            }
            let heading = try requiredString(table, "heading", table: "sections", index: index, singleLine: true)
            // A page drops white space around a heading ("## HW " shows as "HW"), and an editor may strip it
            // from a saved digest, which import-digest must then still match: so it may have none.
            guard heading.trimmingCharacters(in: .whitespaces) == heading else {
                throw fault("heading", table: "sections", index: index,
                            "\(ProfileText.quoted(heading)) begins or ends with white space; a page drops it, so remove it")
            }
            if sections.contains(where: { $0.heading == heading }) {
                throw fault("heading", table: "sections", index: index, "\(ProfileText.quoted(heading)) is already the heading of an earlier section; headings must be unique")
            }
            var keywords: [String] = []
            if let value = table["keywords"] {
                guard let list = value.array else { throw fault("keywords", table: "sections", index: index, "must be an array of strings") }
                for item in list {
                    // A keyword of white space only matches every paper (the text is title + " " + abstract).
                    guard let keyword = item.string, !keyword.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                        throw fault("keywords", table: "sections", index: index,
                                    "every keyword must be a string with more than white space, got \(ProfileText.escaped("\(item)"))")
                    }
                    guard keyword.lowercased() == keyword else {
                        throw fault("keywords", table: "sections", index: index,
                                    "\(ProfileText.quoted(keyword)) has capitals; text is lower-cased before matching, so write \(ProfileText.quoted(keyword.lowercased()))")
                    }
                    guard !keywords.contains(keyword) else {
                        throw fault("keywords", table: "sections", index: index, "\(ProfileText.quoted(keyword)) is listed twice")
                    }
                    keywords.append(keyword)
                }
            }
            sections.append(DigestProfile.Section(label: label, heading: heading, keywords: keywords))
        }
        return sections
    }

    // MARK: - Typed access with errors that name the key

    private func requiredString(
        _ table: TOMLTable, _ key: String, table name: String, index: Int = 0, singleLine: Bool = false, filePath: Bool = false
    ) throws -> String {
        guard let value = try optionalString(table, key, table: name, index: index, singleLine: singleLine, filePath: filePath) else {
            throw DigestProfileError(file: displayName, line: name.isEmpty ? nil : lines.line(ofTable: name, index: index),
                                     key: path(key, table: name, index: index),
                                     reason: "missing; it is required" + (name.isEmpty ? "" : " in [\(name == "sections" ? "[sections]" : name)]"))
        }
        return value
    }

    /// A string value, or nil when the key is absent. `singleLine`: text printed on one line of a page or a
    /// terminal (no line breaks or other control characters). `filePath`: a file's path, also on one line,
    /// and not ending in `/` (which names a folder, where a file is written or read).
    private func optionalString(
        _ table: TOMLTable, _ key: String, table name: String, index: Int = 0, singleLine: Bool = false, filePath: Bool = false
    ) throws -> String? {
        guard let value = table[key] else { return nil }
        guard let string = value.string else {
            throw fault(key, table: name, index: index, "must be a string, got \(ProfileText.escaped("\(value)"))")
        }
        guard !string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw fault(key, table: name, index: index, "must not be empty") }
        if singleLine || filePath {
            if string.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) {
                throw fault(key, table: name, index: index, "must be one line")
            }
            if string.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw fault(key, table: name, index: index, "must be text without control characters, got \(ProfileText.quoted(string))")
            }
        }
        if filePath, string.hasSuffix("/") {
            throw fault(key, table: name, index: index, "\(ProfileText.quoted(string)) ends in /, which names a folder; give a file's path")
        }
        return string
    }

    /// What a section label may hold: it is one word in files, keys and messages, so no white space, no
    /// commas (lists are comma-separated), and nothing invisible that would make two labels look alike (the
    /// joiners of Persian words and emoji sequences aside).
    static func isLabelScalar(_ scalar: Unicode.Scalar) -> Bool {
        !ProfileText.isInvisible(scalar) && !scalar.properties.isWhitespace && scalar != ","
    }

    private func requiredTable(_ root: TOMLTable, _ key: String) throws -> TOMLTable {
        guard let value = root[key] else {
            throw DigestProfileError(file: displayName, line: nil, key: key, reason: "missing; add a [\(key)] table")
        }
        guard let table = value.table else { throw fault(key, table: "", "must be a table: write [\(key)]") }
        return table
    }

    private func rejectUnknownKeys(_ table: TOMLTable, allowed: [String], table name: String, index: Int = 0) throws {
        for key in table.keys.sorted() where !allowed.contains(key) {
            // A key on a line of its own, else a sub-table's header ([query.extra] is the key "extra" of query).
            let line = lines.line(ofKey: key, inTable: name, index: index)
                ?? lines.line(ofTable: name.isEmpty ? key : "\(name).\(key)")
            throw fault(key, table: name, index: index,
                        "unknown key; the keys here are \(allowed.joined(separator: ", "))", line: line)
        }
    }

    // MARK: - Errors

    private func path(_ key: String, table: String, index: Int) -> String {
        switch table {
        case "": return key
        case "sections": return "sections[\(index + 1)].\(key)"
        default: return "\(table).\(key)"
        }
    }

    private func fault(_ key: String, table: String, index: Int = 0, _ reason: String, line: Int?? = nil) -> DigestProfileError {
        let found = line ?? lines.line(ofKey: key, inTable: table, index: index)
        return DigestProfileError(file: displayName, line: found, key: path(key, table: table, index: index), reason: reason)
    }

    /// A path from the profile, relative to the profile's folder unless absolute.
    private func resolve(_ path: String) -> URL {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL }
        return file.deletingLastPathComponent().appendingPathComponent(expanded).standardizedFileURL
    }
}
