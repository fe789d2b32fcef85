import SeededRandom
import Testing
@testable import TextFeatures

/// The term table's byte comparison reads words, with an overlapping last word: every length and
/// every differing position must still decide equality exactly as a byte-by-byte comparison.
struct TermTableTests {
    @Test func sameBytesAgreesWithByteComparisonAtEveryLengthAndPosition() {
        var random = SplitMix64(seed: 23)
        for length in 0...40 {
            let a = (0..<length).map { _ in UInt8(random.next(below: 256)) }
            a.withUnsafeBufferPointer { a in
                var b = Array(a)
                b.withUnsafeBufferPointer { b in
                    #expect(TermTable.sameBytes(a.baseAddress ?? UnsafePointer(bitPattern: 1)!, b.baseAddress ?? UnsafePointer(bitPattern: 1)!, length))
                }
                for position in 0..<length {
                    b[position] ^= 0x80
                    b.withUnsafeBufferPointer { b in
                        #expect(!TermTable.sameBytes(a.baseAddress!, b.baseAddress!, length), "length \(length), byte \(position) differs")
                    }
                    b[position] ^= 0x80
                }
            }
        }
    }

    /// With one hash for every term, each probe's tag matches and only the byte comparison tells
    /// terms apart; with the real hash, the tag settles most probes first.
    @Test(arguments: [true, false])
    func termsThatShareLongPrefixesKeepTheirOwnIds(collideEveryHash: Bool) {
        // Terms of 1...24 bytes that differ only in their last byte, and their prefixes of each other.
        let terms = (1...24).flatMap { length in
            ["a", "b"].map { last in String(repeating: "x", count: length - 1) + last }
        }
        let hash: (UnsafeBufferPointer<UInt8>) -> UInt64 = collideEveryHash ? { _ in 0x1234_5678_9ABC_DEF0 } : termHash
        var table = TermTable(minimumCapacity: 4)
        for (expected, term) in terms.enumerated() {
            let id = Array(term.utf8).withUnsafeBufferPointer { table.findOrInsert($0, hash: hash($0)) }
            #expect(id == Int32(expected), "\(term)")
        }
        for (expected, term) in terms.enumerated() {
            let id = Array(term.utf8).withUnsafeBufferPointer { table.find($0, hash: hash($0)) }
            #expect(id == Int32(expected), "\(term)")
        }
        let missing = Array("xxxc".utf8).withUnsafeBufferPointer { table.find($0, hash: hash($0)) }
        #expect(missing == -1)
    }
}
