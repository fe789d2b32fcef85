import Foundation
import Testing
import TestSupport
@testable import ArxivFeed

/// The JSON Lines fast path must agree with JSONDecoder on every line it accepts, accept the
/// ordinary records (or it would never be taken), and hand every doubtful line to JSONDecoder.
@Suite("Paper record fast path")
struct PaperRecordScannerTests {
    static func fast(_ line: String) -> Paper? {
        Array(line.utf8).withUnsafeBufferPointer { PaperRecordScanner.decode($0) }
    }

    static func slow(_ line: String) -> Paper? {
        try? JSONDecoder().decode(Paper.self, from: Data(line.utf8))
    }

    @Test("every record of the shared topics set: decoded by the fast path, equal to JSONDecoder's")
    func sharedRecords() throws {
        let text = String(decoding: try SharedData.data("datasets/topics/train.jsonl"), as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        try #require(lines.count > 1_000)
        for (index, line) in lines.enumerated() {
            let decoded = Self.fast(line)
            #expect(decoded != nil, "line \(index + 1) left to the slow path")
            #expect(decoded == Self.slow(line), "line \(index + 1)")
        }
    }

    @Test("every field, escapes, surrogate pairs, nulls and unknown nested fields: same as JSONDecoder", arguments: [
        PaperJSONLWriter.line(for: PaperJSONLTests.fullPaper),
        #"{"id": "1", "title": "T\u00e9\u00E9 \ud83e\udde0 \/ \b\f\n\r\t \"q\" \\", "abstract": "", "published": "2024"}"#,
        #"{"published":"2024","abstract":"a","title":"t","id":"x","url":null,"authors":null,"affiliations":[[],["a","b"]],"authors_truncated":false}"#,
        #" { "id" : "x" , "title" : "t" , "abstract" : "a" , "published" : "p" , "extra" : {"k": [1, -0.5e+3, 2E-7, true, false, null, {}, []]} } "#,
        #"{"id": "x", "title": "t", "abstract": "a", "published": "p", "n": -0, "m": 0.25, "s": "\u0000"}"#,
        #"{"id": "x", "title": "t", "abstract": "a", "published": "p", "t\u0069tle2": 1}"#,
    ])
    func validLines(line: String) throws {
        let decoded = try #require(Self.fast(line))
        #expect(decoded == Self.slow(line))
    }

    @Test("doubtful lines go to JSONDecoder (the fast path returns nil)", arguments: [
        #"{"id": "x", "title": "t", "abstract": "a"}"#,                                    // missing field
        #"{"id": "x", "title": null, "abstract": "a", "published": "p"}"#,                 // null required
        #"{"id": 5, "title": "t", "abstract": "a", "published": "p"}"#,                    // wrong type
        #"{"id": "x", "title": "t", "abstract": "a", "published": "p", "authors": [1]}"#,  // wrong element
        #"{"id": "x", "title": "t", "abstract": "a", "published": "p", "label": true}"#,
        #"{"id": "x", "title": "t", "abstract": "a", "published": "p", "id": "y"}"#,       // duplicate key
        #"{"id": "x", "title": "t", "abstract": "a", "published": "p", "z": 1, "z": 2}"#,  // duplicate unknown key
        #"{"id": "x", "t\u0069tle": "t", "title": "u", "abstract": "a", "published": "p"}"#, // escaped duplicate
        #"{"id": "x", "title": "t", "abstract": "a", "published": "p"} x"#,                // trailing text
        #"{"id": "x", "title": "t", "abstract": "a", "published": "p",}"#,                 // trailing comma
        #"{"id": "x", "title": "\ud800", "abstract": "a", "published": "p"}"#,             // lone surrogate
        #"{"id": "x", "title": "\udc00\ud800", "abstract": "a", "published": "p"}"#,
        #"{"id": "x", "title": "\x", "abstract": "a", "published": "p"}"#,                 // bad escape
        "{\"id\": \"x\", \"title\": \"t\tab\", \"abstract\": \"a\", \"published\": \"p\"}",  // raw control character
        #"{"id": "x", "title": "t", "abstract": "a", "published": "p", "n": 01}"#,         // leading zero
        #"{"id": "x", "title": "t", "abstract": "a", "published": "p", "n": 1.}"#,
        #"{"id": "x", "title": "t", "abstract": "a", "published": "p", "n": tru}"#,
        #"["id"]"#, #""x""#, "{", #"{"id": "x""#,
        "{\"id\": \"x\", \"title\": \"t\", \"abstract\": \"a\", \"published\": \"p\", \"deep\": "
            + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}",
    ])
    func doubtfulLines(line: String) {
        #expect(Self.fast(line) == nil)
    }

    @Test("a record cut at every byte is never accepted")
    func truncations() {
        let line = PaperJSONLWriter.line(for: PaperJSONLTests.fullPaper).dropLast()  // without "\n"
        let bytes = Array(line.utf8)
        #expect(bytes.withUnsafeBufferPointer { PaperRecordScanner.decode($0) } != nil)
        for cut in 0..<bytes.count where bytes[cut] & 0xC0 != 0x80 {  // whole characters only: input is valid UTF-8
            let prefix = Array(bytes[0..<cut])
            #expect(prefix.withUnsafeBufferPointer { PaperRecordScanner.decode($0) } == nil, "cut at \(cut)")
        }
    }

    /// Strings are scanned eight bytes at a time: a quote, an escape or a raw control byte must be
    /// found in every lane of a word, and a string must end right where its last word ends.
    @Test("a closing quote, an escape or a control byte in every position of a string: same as JSONDecoder")
    func specialBytesInEveryLane() {
        let specials = [#"\""#, #"\\"#, #"\n"#, #"\u00e9"#, #"\u001f"#, "\u{01}", "\u{1F}", "\t", "é", ""]
        for special in specials {
            for before in 0..<18 {
                for after in [0, 1, 7, 8, 9] {
                    let title = String(repeating: "a", count: before) + special + String(repeating: "b", count: after)
                    let line = #"{"id": "x", "title": ""# + title + #"", "abstract": "a", "published": "p"}"#
                    let fast = Self.fast(line), slow = Self.slow(line)
                    // Raw control bytes are invalid JSON: both refuse them (the fast path by nil).
                    #expect(fast == slow, "\(special.debugDescription) after \(before) bytes, \(after) after")
                    if slow != nil { #expect(fast != nil, "\(special.debugDescription) left to the slow path") }
                }
            }
        }
    }
}
