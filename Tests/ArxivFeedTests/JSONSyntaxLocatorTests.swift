@testable import ArxivFeed
import Foundation
import SeededRandom
import Testing
import TestSupport

/// The locator must agree with Foundation's parser on which lines are JSON, but for the trailing comma
/// Foundation takes and JSON does not, and point at the place a person would fix.
@Suite("JSON syntax locator")
struct JSONSyntaxLocatorTests {
    static func problem(_ line: String) -> JSONSyntaxLocator.Problem? {
        Array(line.utf8).withUnsafeBufferPointer { JSONSyntaxLocator.firstProblem(in: $0) }
    }

    static func foundationAccepts(_ bytes: [UInt8]) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
    }

    @Test("agrees with Foundation on real records and on thousands of one-byte edits of them")
    func agreesWithFoundation() throws {
        let text = String(decoding: try SharedData.data("datasets/topics/train.jsonl"), as: UTF8.self)
        let lines = text.split(separator: "\n").map { Array($0.utf8) }
        try #require(lines.count > 1_000)
        for (index, line) in lines.enumerated() {
            #expect(line.withUnsafeBufferPointer { JSONSyntaxLocator.firstProblem(in: $0) } == nil, "line \(index + 1)")
        }
        // Bytes that change a line's structure: brackets, separators, quotes, escapes, number and literal parts.
        let inserts = Array(#"{}[],:"\0-+.eEtfnu /x "#.utf8) + [0x09, 0x01]
        var random = SplitMix64(seed: 16)
        var refused = 0, accepted = 0
        for line in lines.prefix(150) {
            for _ in 0..<40 {
                var edited = line
                let at = random.next(below: edited.count)
                switch random.next(below: 3) {
                case 0: edited.remove(at: at)
                case 1: edited.insert(inserts[random.next(below: inserts.count)], at: at)
                default: edited[at] = inserts[random.next(below: inserts.count)]
                }
                // The reader rejects invalid UTF-8 before this is asked.
                guard String(validating: edited, as: UTF8.self) != nil else { continue }
                let problem = edited.withUnsafeBufferPointer { JSONSyntaxLocator.firstProblem(in: $0) }
                let described = "\(String(decoding: edited, as: UTF8.self)): \(problem.map { "\($0.offset): \($0.reason)" } ?? "accepted")"
                if let problem, Self.foundationAccepts(edited) {
                    #expect(Self.isTrailingComma(edited, problem), "\(described)")
                } else {
                    #expect((problem == nil) == Self.foundationAccepts(edited), "\(described)")
                }
                if let problem { refused += 1; #expect(problem.offset <= edited.count) } else { accepted += 1 }
            }
        }
        // Both verdicts were exercised, many times.
        #expect(refused > 500 && accepted > 500, "refused \(refused), accepted \(accepted)")
    }

    /// True when `problem` is a closing bracket right after a comma: the one thing Foundation takes that JSON does not.
    static func isTrailingComma(_ line: [UInt8], _ problem: JSONSyntaxLocator.Problem) -> Bool {
        guard problem.offset < line.count, [UInt8(ascii: "}"), UInt8(ascii: "]")].contains(line[problem.offset]) else { return false }
        return line[..<problem.offset].last { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: ",")
    }

    @Test("points at the problem and names it", arguments: [
        (#"{"id": "1", "title": "t""#, 24, "the line ends inside an object that is not closed"),
        (#"{"id": "1" "title": "t"}"#, 11, "expected ',' or '}', found '\"'"),
        (#"{"id": "1", "title": "t",}"#, 25, "expected a key (a string in double quotes), found '}'"),
        (#"{"n": [1, 2,]}"#, 12, "expected a value, found ']'"),
        (#"{"id" "1"}"#, 6, "expected ':' after a key, found '\"'"),
        (#"{"id": "1"} x"#, 12, "'x' after the end of the record"),
        (#"{"n": [1, 2}"#, 11, "expected ',' or ']', found '}'"),
        (#"{"n": 01}"#, 6, "a number with a leading zero"),
        (#"{"n": -x}"#, 6, "a number needs a digit after '-'"),
        (#"{"n": 1.}"#, 8, "a number needs a digit after '.'"),
        (#"{"n": 1e}"#, 8, "a number needs a digit in its exponent"),
        (#"{"n": tru}"#, 6, "expected a value, found 'tru'"),
        (#"{"n": nul}"#, 6, "expected a value, found 'nul'"),
        (#"{"n": yes}"#, 6, "expected a value, found 'yes'"),
        (#"{"n": 'x'}"#, 6, "expected a value, found '''"),
        (#"{"t": "a\x"}"#, 8, #"\x is no JSON escape (\" \\ \/ \b \f \n \r \t \uXXXX)"#),
        (#"{"t": "a\u12"}"#, 8, #"\u needs four hexadecimal digits"#),
        (#"{"t": "\ud800"}"#, 7, #"\uD800 is half of a UTF-16 surrogate pair without its other half"#),
        (#"{"t": "\udc00\ud800"}"#, 7, #"\uDC00 is half of a UTF-16 surrogate pair without its other half"#),
        ("{\"t\": \"a\tb\"}", 8, #"a raw control character (U+0009) inside a string; write it as \u0009"#),
        (#"{"t": "abc}"#, 6, "a string that is not closed"),
        ("   ", 3, "the line ends where a value should start"),
        ("\u{FEFF}{\"id\": \"1\"}", 0, "expected a value, found a byte order mark (U+FEFF), which only a file's first line may start with (were files joined with cat?)"),
        ("\u{E9}", 0, "expected a value, found a non-ASCII character"),
    ])
    func namedProblems(line: String, offset: Int, reason: String) throws {
        let problem = try #require(Self.problem(line))
        #expect(problem == JSONSyntaxLocator.Problem(offset: offset, reason: reason))
    }

    @Test("valid values of every kind, white space around them included", arguments: [
        #" {"a": [1, -0.5e+3, 2E-7, 0, -0, true, false, null, {}, [], "\ud83e\udde0 \/ \u00e9"]} "# + "\r",
        #"[]"#, #""x""#, #"0"#, #"-1.5E-10"#,
    ])
    func validValues(line: String) {
        #expect(Self.problem(line) == nil)
        #expect(Self.foundationAccepts(Array(line.utf8)))
    }

    @Test("nesting: Foundation's 512 levels are taken, one more is refused, and a million are not recursed into")
    func nesting() throws {
        for depth in [511, 512, 513] {
            let line = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            #expect((Self.problem(line) == nil) == Self.foundationAccepts(Array(line.utf8)), "depth \(depth)")
        }
        #expect(Self.problem(String(repeating: "[", count: 512) + String(repeating: "]", count: 512)) == nil)
        let problem = try #require(Self.problem(String(repeating: "[", count: 1_000_000)))
        #expect(problem == JSONSyntaxLocator.Problem(offset: 512, reason: "nested more than 512 levels deep"))
    }
}
