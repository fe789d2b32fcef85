import Foundation
import Testing
@testable import TextFeatures

/// The character rules against Python itself, over every code point.
@Suite("Python character rules")
struct PythonUnicodeTests {
    struct Facts: Decodable {
        let unidata_version: String
        let word: [[UInt32]]
        let lower: [Lowering]
        let sigma_after_cased: [[UInt32]]
        let sigma_after_space: [[UInt32]]
    }

    struct Lowering: Decodable {
        let scalar: UInt32
        let lowered: [UInt32]
        init(from decoder: Decoder) throws {
            var c = try decoder.unkeyedContainer()
            scalar = try c.decode(UInt32.self)
            lowered = try c.decode([UInt32].self)
        }
    }

    static let facts: Result<Facts, Error> = Result { try runPythonScript("python_unicode.py", [], as: Facts.self) }

    static func members(_ ranges: [[UInt32]]) -> Set<UInt32> {
        Set(ranges.flatMap { $0[0]...$0[1] })
    }

    static var allScalars: [Unicode.Scalar] { (0...UInt32(0x10FFFF)).compactMap(Unicode.Scalar.init) }

    @Test("Python's Unicode version is the one the tables are gated on")
    func unicodeVersion() throws {
        let facts = try Self.facts.get()
        #expect(facts.unidata_version == "\(PythonUnicode.unicodeVersion.major).\(PythonUnicode.unicodeVersion.minor).0")
    }

    @Test("\\w matches Python's re on every code point")
    func wordCharacters() throws {
        let expected = Self.members(try Self.facts.get().word)
        #expect(expected.count > 100_000)
        let mismatches = Self.allScalars.filter { PythonUnicode.isWordCharacter($0) != expected.contains($0.value) }
        #expect(mismatches.isEmpty, "differs at \(mismatches.prefix(20).map { String($0.value, radix: 16) })")
    }

    @Test("lower-casing matches str.lower() on every code point")
    func lowercasing() throws {
        let expected = Dictionary(uniqueKeysWithValues: try Self.facts.get().lower.map { ($0.scalar, $0.lowered) })
        #expect(expected.count > 1_000)
        var mismatches: [UInt32] = []
        for s in Self.allScalars where s.value != 0x3A3 {
            var mapped: [UInt32] = []
            PythonUnicode.forEachLowercaseScalar(of: s) { mapped.append($0) }
            if mapped != (expected[s.value] ?? [s.value]) { mismatches.append(s.value) }
        }
        #expect(mismatches.isEmpty, "differs at \(mismatches.prefix(20).map { String($0, radix: 16) })")
    }

    @Test("cased and case-ignorable scalars decide the final sigma as in CPython")
    func finalSigmaContext() throws {
        let facts = try Self.facts.get()
        let afterCased = Self.members(facts.sigma_after_cased), afterSpace = Self.members(facts.sigma_after_space)
        var mismatches: [UInt32] = []
        for s in Self.allScalars where s.value != 0x3A3 {
            let flags = PythonUnicode.flags(s)
            let ignorable = flags & ScalarTable.caseIgnorable != 0, cased = flags & ScalarTable.cased != 0
            if (ignorable || cased) != afterCased.contains(s.value) || (!ignorable && cased) != afterSpace.contains(s.value) {
                mismatches.append(s.value)
            }
        }
        #expect(mismatches.isEmpty, "differs at \(mismatches.prefix(20).map { String($0, radix: 16) })")
    }

    @Test("lowercased(_:) applies Final_Sigma like str.lower()")
    func lowercasedStrings() {
        #expect(PythonUnicode.lowercased("ΟΔΟΣ") == "οδος")
        #expect(PythonUnicode.lowercased("ΣΑ") == "σα")
        #expect(PythonUnicode.lowercased("Σ") == "σ")
        #expect(PythonUnicode.lowercased("ΑΣ'.") == "ας'.")
        #expect(PythonUnicode.lowercased("ΑΣ'Β") == "ασ'β")
        #expect(Array(PythonUnicode.lowercased("İ").unicodeScalars) == ["i", "\u{307}"])
    }
}
