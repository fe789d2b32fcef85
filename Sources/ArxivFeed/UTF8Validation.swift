/// Strict UTF-8 checking (no overlongs, no surrogates, nothing above U+10FFFF), ASCII fast path.
enum UTF8Validation {
    /// The offset of the first byte that starts an invalid sequence, or nil when all is valid.
    static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let count = bytes.count
        let raw = UnsafeRawPointer(bytes.baseAddress)
        while index < count {
            // Eight ASCII bytes at a time: most of an abstract is ASCII.
            if let raw {
                while index + 8 <= count, raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                }
                if index == count { break }
            }
            let lead = bytes[index]
            if lead < 0x80 { index += 1; continue }
            let length: Int, lowest: UInt8, highest: UInt8  // allowed range of the second byte
            switch lead {
            case 0xC2...0xDF: (length, lowest, highest) = (2, 0x80, 0xBF)
            case 0xE0: (length, lowest, highest) = (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, lowest, highest) = (3, 0x80, 0xBF)
            case 0xED: (length, lowest, highest) = (3, 0x80, 0x9F)
            case 0xF0: (length, lowest, highest) = (4, 0x90, 0xBF)
            case 0xF1...0xF3: (length, lowest, highest) = (4, 0x80, 0xBF)
            case 0xF4: (length, lowest, highest) = (4, 0x80, 0x8F)
            default: return index
            }
            guard index + length <= count, (lowest...highest).contains(bytes[index + 1]) else { return index }
            for continuation in 2..<length where bytes[index + continuation] & 0xC0 != 0x80 { return index }
            index += length
        }
        return nil
    }
}
