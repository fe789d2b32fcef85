import Foundation

/// Finds a start tag with too many attributes in the raw bytes, before libxml2 reads them. libxml2
/// (2.9) compares each new attribute and namespace declaration of a tag with all the earlier ones, so
/// one 1 MB tag of 100,000 attributes costs minutes of CPU inside the parser, where no callback can
/// stop it. An arXiv feed's tags have at most a handful.
///
/// A small lexer over the bytes: text, comments, CDATA sections, processing instructions, end tags
/// and declarations are skipped (with `memchr` where it can jump), and inside a start tag every `=`
/// outside a quoted value starts one attribute. A malformed document may be miscounted here; libxml2
/// then reports its own error, so this only ever adds a refusal of a tag that really is too long.
enum StartTagScan {
    /// The first start tag with more than `maxAttributes` attributes: its 1-based line.
    static func firstOverfullTag(in bytes: UnsafeRawBufferPointer, maxAttributes: Int) -> Int? {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let end = bytes.count
        var i = 0

        /// The index of the next `byte` at or after `from`.
        func next(_ byte: UInt8, from: Int) -> Int? {
            guard from < end, let hit = memchr(base + from, Int32(byte), end - from) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        func after(_ byte: UInt8, from: Int) -> Int { next(byte, from: from).map { $0 + 1 } ?? end }
        /// The index just after the `>` that ends `terminator` (`-->`, `]]>`, `?>`), all of it at or after `from`.
        func afterTerminator(_ terminator: [UInt8], from: Int) -> Int {
            var at = from
            while let hit = next(UInt8(ascii: ">"), from: at) {
                let start = hit + 1 - terminator.count
                if start >= from, (0..<terminator.count).allSatisfy({ base[start + $0] == terminator[$0] }) { return hit + 1 }
                at = hit + 1
            }
            return end
        }

        while i < end {
            i = after(UInt8(ascii: "<"), from: i)
            guard i < end else { return nil }
            let tagStart = i - 1
            switch base[i] {
            case UInt8(ascii: "!"):
                if i + 2 < end, base[i + 1] == UInt8(ascii: "-"), base[i + 2] == UInt8(ascii: "-") {
                    i = afterTerminator(Array("-->".utf8), from: i + 3)
                } else if i + 1 < end, base[i + 1] == UInt8(ascii: "[") {
                    i = afterTerminator(Array("]]>".utf8), from: i + 2)
                } else {
                    i = after(UInt8(ascii: ">"), from: i)  // <!DOCTYPE …>: libxml2 refuses it at once
                }
            case UInt8(ascii: "?"):
                i = afterTerminator(Array("?>".utf8), from: i + 1)
            case UInt8(ascii: "/"):
                i = after(UInt8(ascii: ">"), from: i)
            default:
                var attributes = 0
                scan: while i < end {
                    switch base[i] {
                    case UInt8(ascii: "\""), UInt8(ascii: "'"):
                        i = after(base[i], from: i + 1)
                        continue scan
                    case UInt8(ascii: "="):
                        attributes += 1
                        if attributes > maxAttributes { return line(of: tagStart, in: base) }
                    case UInt8(ascii: ">"):
                        i += 1
                        break scan
                    default:
                        break
                    }
                    i += 1
                }
            }
        }
        return nil
    }

    private static func line(of offset: Int, in base: UnsafePointer<UInt8>) -> Int {
        var line = 1
        for index in 0..<offset where base[index] == UInt8(ascii: "\n") { line += 1 }
        return line
    }
}
