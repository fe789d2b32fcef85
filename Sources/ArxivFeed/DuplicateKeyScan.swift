/// Finds a key that appears twice at the top level of a record. `JSONDecoder` keeps one of the values silently
/// (Foundation the first, Python and jq the last), so the same file would mean different papers to different
/// tools; a duplicate is refused instead. Keys inside nested values are not checked: the record's fields are
/// strings and arrays of strings, so a nested object belongs to an ignored field (and `PaperRecordScanner`, the
/// fast path, checks the top level only too). A structural scan: strings are skipped with their escapes, and
/// keys are compared as written, their escapes decoded only when a key has any.
enum DuplicateKeyScan {
    static func firstDuplicateKey(_ line: UnsafeBufferPointer<UInt8>) -> String? {
        var objects: [Set<[UInt8]>] = []
        // true for an object, false for an array, per open bracket.
        var containers: [Bool] = []
        var index = 0
        let count = line.count
        while index < count {
            let byte = line[index]
            switch byte {
            case UInt8(ascii: "{"): containers.append(true); objects.append([]); index += 1
            case UInt8(ascii: "["): containers.append(false); index += 1
            case UInt8(ascii: "}"):
                if containers.popLast() == true { objects.removeLast() }
                index += 1
            case UInt8(ascii: "]"): _ = containers.popLast(); index += 1
            case UInt8(ascii: "\""):
                let start = index + 1
                var end = start
                var escaped = false
                while end < count {
                    let c = line[end]
                    if c == UInt8(ascii: "\\") { escaped = true; end += 2; continue }
                    if c == UInt8(ascii: "\"") { break }
                    end += 1
                }
                guard end < count else { return nil }  // unterminated: the decoder reports it
                index = end + 1
                // A key is a string in an object followed by ':'.
                var next = index
                while next < count, [0x20, 0x09, 0x0D, 0x0A].contains(line[next]) { next += 1 }
                if containers.count == 1, containers.last == true, next < count, line[next] == UInt8(ascii: ":") {
                    var key = Array(line[start..<end])
                    if escaped, let decoded = decode(key) { key = Array(decoded.utf8) }
                    if !objects[objects.count - 1].insert(key).inserted {
                        return String(decoding: key, as: UTF8.self)
                    }
                }
            default: index += 1
            }
        }
        return nil
    }

    /// The text of a JSON string's body with its escapes, or nil when they are not valid.
    private static func decode(_ body: [UInt8]) -> String? {
        var text = ""
        var scalars = String(decoding: body, as: UTF8.self).unicodeScalars.makeIterator()
        var pendingHigh: UInt32?
        while let scalar = scalars.next() {
            guard scalar == "\\" else { text.unicodeScalars.append(scalar); continue }
            guard let kind = scalars.next() else { return nil }
            switch kind {
            case "\"": text += "\""
            case "\\": text += "\\"
            case "/": text += "/"
            case "b": text += "\u{8}"
            case "f": text += "\u{C}"
            case "n": text += "\n"
            case "r": text += "\r"
            case "t": text += "\t"
            case "u":
                var hex = ""
                for _ in 0..<4 { guard let digit = scalars.next() else { return nil }; hex.unicodeScalars.append(digit) }
                guard let value = UInt32(hex, radix: 16) else { return nil }
                if (0xD800...0xDBFF).contains(value) { pendingHigh = value; continue }
                if (0xDC00...0xDFFF).contains(value), let high = pendingHigh {
                    pendingHigh = nil
                    guard let combined = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00)) else { return nil }
                    text.unicodeScalars.append(combined)
                    continue
                }
                guard let scalar = Unicode.Scalar(value) else { return nil }
                text.unicodeScalars.append(scalar)
            default: return nil
            }
        }
        return text
    }
}
