import SeededRandom
import Testing
@testable import ArxivFeed

/// The validator reads ASCII eight bytes at a time: wherever a bad byte falls in or after such a
/// word, it must find the same first invalid offset as a byte-by-byte strict decode.
struct UTF8ValidationTests {
    /// The offset of the first scalar Swift's strict decoder rejects, or nil.
    static func referenceFirstInvalid(_ bytes: [UInt8]) -> Int? {
        var offset = 0
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    static let pieces: [[UInt8]] = [
        Array("abcdefgh".utf8), Array("é".utf8), Array("€".utf8), Array("𝔘".utf8), Array(" ".utf8),
        [0xC3, 0x28], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0x80], [0xE2, 0x82],
    ]

    /// Every non-ASCII piece, valid or not, at every byte of the first three words, ASCII around it.
    @Test func aNonASCIIPieceIsSeenInEveryLane() {
        for piece in Self.pieces.dropFirst() where piece != Array(" ".utf8) {
            for position in 0..<24 {
                for tail in [0, 3, 9] {
                    let bytes = Array(repeating: UInt8(ascii: "x"), count: position) + piece + Array(repeating: UInt8(ascii: "y"), count: tail)
                    let got = bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalidOffset($0) }
                    #expect(got == Self.referenceFirstInvalid(bytes), "\(piece) at byte \(position), \(tail) bytes after")
                }
            }
        }
    }

    @Test func findsTheSameFirstInvalidByteAsAStrictDecoder() {
        var random = SplitMix64(seed: 41)
        let pieces = Self.pieces
        for trial in 0..<3_000 {
            var bytes: [UInt8] = []
            // Mostly valid text; now and then one bad piece at a random place and alignment.
            for _ in 0..<random.next(below: 12) {
                let piece = random.next(below: 10) < 8 ? random.next(below: 5) : random.next(below: pieces.count)
                bytes += pieces[piece]
            }
            let got = bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalidOffset($0) }
            #expect(got == Self.referenceFirstInvalid(bytes), "trial \(trial): \(bytes)")
        }
    }
}
