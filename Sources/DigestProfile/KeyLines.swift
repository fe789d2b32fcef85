import Foundation

/// Finds the line a key is written on, for error messages: TOMLKit reports lines for syntax errors
/// only, and a message about a bad value should still point at it.
///
/// It reads the text the way a person does: `[table]` and `[[array]]` headers open a table, and
/// `key = …` lines belong to the last one opened. Keys written some other way (dotted keys, inline
/// tables) are found by name anywhere, or not at all; a missing line is better than a wrong one.
struct KeyLines {
    private struct Line {
        var number: Int
        /// The header this line is in: "" at the top, "page", or "sections" for `[[sections]]`.
        var table: String
        /// For `[[array]]` tables: which one (0-based).
        var arrayIndex: Int
        /// The key assigned on this line, or nil for headers, comments and blanks.
        var key: String?
        var isHeader: Bool
    }

    private let lines: [Line]

    init(text: String) {
        var result: [Line] = []
        var table = ""
        var arrayCounts: [String: Int] = [:]
        var arrayIndex = 0
        var number = 0
        var inMultiline: String?
        // "\r\n" is one Character in Swift, so a CRLF file would be a single line: split on LF alone.
        for raw in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = raw.trimmingWhitespace()
            if let closing = inMultiline {
                // Inside a multi-line string: nothing here is a key or a header.
                if line.contains(closing) { inMultiline = nil }
                continue
            }
            if line.hasPrefix("[[") {
                table = Self.headerName(line.dropFirst(2))
                arrayIndex = arrayCounts[table, default: 0]
                arrayCounts[table] = arrayIndex + 1
                result.append(Line(number: number, table: table, arrayIndex: arrayIndex, key: nil, isHeader: true))
            } else if line.hasPrefix("[") {
                table = Self.headerName(line.dropFirst(1))
                arrayIndex = 0
                result.append(Line(number: number, table: table, arrayIndex: 0, key: nil, isHeader: true))
            } else if let equals = line.firstIndex(of: "="), !line.hasPrefix("#") {
                let key = Self.unquoted(line[..<equals].trimmingWhitespace())
                result.append(Line(number: number, table: table, arrayIndex: arrayIndex, key: key, isHeader: false))
                let value = line[line.index(after: equals)...].trimmingWhitespace()
                for quotes in ["\"\"\"", "'''"] where value.hasPrefix(quotes) {
                    if !value.dropFirst(3).contains(quotes) { inMultiline = quotes }
                }
            }
        }
        self.lines = result
    }

    /// The line of `key` in `table` ("" for the top level); `index` picks one `[[table]]`.
    func line(ofKey key: String, inTable table: String = "", index: Int = 0) -> Int? {
        if let exact = lines.first(where: { !$0.isHeader && $0.table == table && $0.arrayIndex == index && $0.key == key }) {
            return exact.number
        }
        // A dotted key (`page.title = …`) or the table's own line when written inline.
        let dotted = table.isEmpty ? key : table + "." + key
        return lines.first(where: { !$0.isHeader && $0.table == "" && $0.key == dotted })?.number
    }

    /// The line of the header `[table]`, or the `index`th `[[table]]`; for an inline table, the key's line.
    func line(ofTable table: String, index: Int = 0) -> Int? {
        lines.first(where: { $0.isHeader && $0.table == table && $0.arrayIndex == index })?.number
            ?? line(ofKey: table)
    }

    private static func headerName(_ rest: Substring) -> String {
        let name = rest.prefix { $0 != "]" }
        return name.split(separator: ".").map { unquoted($0.trimmingWhitespace()) }.joined(separator: ".")
    }

    private static func unquoted(_ key: Substring) -> String {
        if key.count >= 2, let first = key.first, first == "\"" || first == "'", key.last == first {
            return String(key.dropFirst().dropLast())
        }
        return String(key)
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        let start = firstIndex { $0 != " " && $0 != "\t" && $0 != "\r" } ?? endIndex
        let end = self[start...].lastIndex { $0 != " " && $0 != "\t" && $0 != "\r" }.map(index(after:)) ?? start
        return self[start..<end]
    }
}
