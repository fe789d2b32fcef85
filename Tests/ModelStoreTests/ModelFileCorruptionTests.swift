import SeededRandom
import Foundation
import Glibc
import Testing
import TestSupport
@testable import ModelStore

/// Assembles a sealed file from raw parts, so each test can tell exactly one lie.
private func craft(version: UInt32 = 1, header: String = "{}", sectionCount: UInt32? = nil,
                   sections: [[UInt8]]) -> Data {
    var bytes = Array("ARXDGMDL".utf8) + le(version) + le(UInt32(header.utf8.count)) + Array(header.utf8)
    bytes += le(sectionCount ?? UInt32(sections.count)) + sections.flatMap { $0 }
    return Data(bytes + SHA256.hash(bytes).bytes)
}

private func section(_ name: String, tag: UInt8, count: UInt64, length: UInt64? = nil, payload: [UInt8]) -> [UInt8] {
    le(UInt16(name.utf8.count)) + Array(name.utf8) + [tag] + le(count) + le(length ?? UInt64(payload.count)) + payload
}

private func stringList(_ strings: [String]) -> [UInt8] {
    strings.flatMap { le(UInt32($0.utf8.count)) + Array($0.utf8) }
}

private func message(_ data: Data, fileName: String = "t.model") -> String {
    do {
        _ = try ModelFile.decode(data, fileName: fileName)
        return "decoded without error"
    } catch {
        return "\(error)"
    }
}

@Suite("Model file: corruption and foreign input")
struct ModelFileCorruptionTests {
    @Test("a file cut at any offset is rejected, never misread")
    func truncatedEverywhere() throws {
        let full = try sampleModel().encoded()
        #expect(decodeProblem(full) == nil)
        for length in 0..<full.count {
            let problem = decodeProblem(full.prefix(length))
            #expect(problem != nil, "cut at \(length) of \(full.count)")
            if length == 0 {
                #expect(problem == .notAModelFile(detail: "the file is empty"))
            } else if length < ModelFileFormat.minimumFileSize {
                #expect(problem == .truncated(what: "the fixed fields of a model file", needs: 52, offset: 0,
                                              limit: length, fileSize: length))
            }
        }
    }

    @Test("every single-bit flip of a small file is detected")
    func everyBitFlip() throws {
        let original = Array(try sampleModel().encoded())
        var detected = 0
        for index in original.indices {
            for bit in 0..<8 {
                var flipped = original
                flipped[index] ^= UInt8(1) << UInt8(bit)
                if decodeProblem(Data(flipped)) != nil { detected += 1 } else {
                    Issue.record("flip of bit \(bit) in byte \(index) was not detected")
                }
            }
        }
        #expect(detected == original.count * 8)
    }

    @Test("a flipped payload bit is reported as a checksum mismatch")
    func checksumMessage() throws {
        var bytes = Array(try sampleModel().encoded())
        bytes[bytes.count - ModelFileFormat.checksumSize - 1] ^= 0x10
        #expect(message(Data(bytes), fileName: "topics.model").hasPrefix("topics.model: checksum mismatch (stored SHA-256 "))
    }

    @Test("foreign files are not model files: JSON, empty, text, random bytes")
    func foreignFiles() throws {
        let json = Data(#"{"kind": "logistic-regression", "weights": [1, 2, 3], "padding": "to pass the minimum size"}"#.utf8)
        #expect(message(json, fileName: "model.json")
                == #"model.json: not an ArxivDigest model file (it does not start with "ARXDGMDL")"#)
        #expect(message(Data(), fileName: "empty.model") == "empty.model: not an ArxivDigest model file (the file is empty)")
        #expect(message(Data("hello\n".utf8)) == "t.model: not an ArxivDigest model file (6 bytes, fewer than the 52 of the smallest model file)")
        var rng = SplitMix64(seed: 7)
        for length in stride(from: 0, through: 4_000, by: 37) {
            let noise = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) })
            guard case .notAModelFile = try #require(decodeProblem(noise)) else {
                Issue.record("random bytes of length \(length) were not called foreign")
                continue
            }
        }
    }

    @Test("a newer format version is refused with the versions named")
    func newerVersion() {
        let file = craft(version: 2, sections: [])
        #expect(decodeProblem(file) == .newerFormat(found: 2, supported: 1))
        #expect(message(file, fileName: "topics.model")
                == "topics.model: written by a newer ArxivDigest (format 2, this build reads up to 1)")
        #expect(decodeProblem(craft(version: 0, sections: [])) == .invalidFormatVersion(0))
        #expect(decodeProblem(craft(version: 1, sections: [])) == nil)
    }

    @Test("a wrong magic is refused even when everything else is sound")
    func wrongMagic() throws {
        var bytes = Array(try sampleModel().encoded())
        bytes[0] = UInt8(ascii: "X")
        guard case .notAModelFile = try #require(decodeProblem(resealed(bytes))) else {
            Issue.record("wrong magic accepted or misreported")
            return
        }
    }

    @Test("a section count that lies either way is caught")
    func sectionCountLies() {
        let one = section("a", tag: SectionType.int32.rawValue, count: 1, payload: le(Int32(5)))
        let tooMany = craft(sectionCount: 2, sections: [one])
        guard case .truncated = decodeProblem(tooMany) else {
            Issue.record("count too high: \(message(tooMany))")
            return
        }
        let tooFew = craft(sectionCount: 1, sections: [one, one])
        #expect(decodeProblem(tooFew) == .trailingBytes(count: one.count, offset: 22 + one.count, declaredSections: 1))
        let hugeCount = craft(sectionCount: .max, sections: [one])
        #expect(decodeProblem(hugeCount) != nil)
    }

    @Test("a section length or element count that lies is caught before any value is used")
    func sectionLengthLies() {
        let payload = le(Int32(1)) + le(Int32(2))
        // Count says 3 values but the length holds 2.
        let countLie = craft(sections: [section("w", tag: 2, count: 3, payload: payload)])
        #expect(message(countLie) == #"t.model: section "w": 3 int32 array elements need 12 bytes, but its byte length is 8"#)
        // A count so large that count × 8 overflows.
        let overflow = craft(sections: [section("w", tag: 1, count: .max / 4, payload: payload)])
        guard case .inconsistentSection(name: "w", _) = decodeProblem(overflow) else {
            Issue.record("overflowing count: \(message(overflow))")
            return
        }
        // Offsets: magic 8, version 4, header length 4, "{}" 2, section count 4 = 22; then the entry's
        // name length 2, name, type 1, count 8, length 8, so "weights" data starts at 48 and "w" at 42.
        // Length runs past the end of the file.
        let huge = craft(sections: [section("weights", tag: 1, count: 300_000, length: 2_400_000, payload: payload)])
        #expect(message(huge, fileName: "topics.model")
                == #"topics.model: truncated: section "weights" needs 2,400,000 bytes at offset 48, file ends at 88"#)
        // Length runs into the checksum but not past the file.
        let intoChecksum = craft(sections: [section("w", tag: 5, count: 20, length: 20, payload: payload)])
        #expect(decodeProblem(intoChecksum) == .truncated(what: #"section "w""#, needs: 20, offset: 42, limit: 50, fileSize: 82))
        #expect(decodeProblem(craft(sections: [section("w", tag: 1, count: 1, length: .max, payload: payload)])) != nil)
        // Raw bytes: count must equal the length.
        #expect(decodeProblem(craft(sections: [section("b", tag: 5, count: 7, payload: payload)])) != nil)
        // An unknown type tag.
        #expect(decodeProblem(craft(sections: [section("x", tag: 9, count: 2, payload: payload)]))
                == .inconsistentSection(name: "x", detail: "unknown type tag 9"))
    }

    @Test("string lists that lie about their count, lengths or encoding are caught")
    func stringListLies() {
        let two = stringList(["alpha", "β"])
        #expect(decodeProblem(craft(sections: [section("v", tag: 4, count: 2, payload: two)])) == nil)
        let cases: [(String, Data)] = [
            ("count too high", craft(sections: [section("v", tag: 4, count: 3, payload: two)])),
            ("count too low", craft(sections: [section("v", tag: 4, count: 1, payload: two)])),
            ("count beyond the bytes", craft(sections: [section("v", tag: 4, count: .max, payload: two)])),
            ("string length too long", craft(sections: [section("v", tag: 4, count: 1, payload: le(UInt32(99)) + [0x61])])),
            ("invalid UTF-8", craft(sections: [section("v", tag: 4, count: 1, payload: le(UInt32(2)) + [0xC3, 0x28])])),
        ]
        for (lie, file) in cases {
            guard case .inconsistentSection(name: "v", _) = decodeProblem(file) else {
                Issue.record("\(lie): \(message(file))")
                continue
            }
        }
    }

    @Test("duplicate section names, empty names and non-UTF-8 names are refused")
    func badNames() {
        let a = section("weights", tag: 2, count: 1, payload: le(Int32(1)))
        #expect(decodeProblem(craft(sections: [a, a])) == .duplicateSection(name: "weights"))
        #expect(message(craft(sections: [a, a]), fileName: "topics.model") == #"topics.model: duplicate section "weights""#)
        let composed = section("é", tag: 2, count: 1, payload: le(Int32(1)))
        let decomposed = section("e\u{301}", tag: 2, count: 1, payload: le(Int32(2)))
        #expect(decodeProblem(craft(sections: [composed, decomposed])) == .duplicateSection(name: "e\u{301}"))
        let empty = le(UInt16(0)) + [2] + le(UInt64(0)) + le(UInt64(0))
        guard case .invalidSectionName = decodeProblem(craft(sections: [empty])) else {
            Issue.record("empty name accepted")
            return
        }
        let badName = le(UInt16(1)) + [0xFF] + [2] + le(UInt64(0)) + le(UInt64(0))
        guard case .invalidSectionName = decodeProblem(craft(sections: [badName])) else {
            Issue.record("non-UTF-8 name accepted")
            return
        }
    }

    @Test("a header that is too long for the file, or not a JSON object, is refused")
    func headerLies() {
        var bytes = Array(craft(header: #"{"a":1}"#, sections: []))
        bytes.replaceSubrange(12..<16, with: le(UInt32(5_000)))
        guard case .truncated(what: "the header", needs: 5_000, offset: 16, _, _) = decodeProblem(resealed(bytes)) else {
            Issue.record("header length lie: \(message(resealed(bytes)))")
            return
        }
        #expect(decodeProblem(craft(header: "[1,2,3]", sections: [])) == .invalidHeader(detail: "not a JSON object"))
        #expect(decodeProblem(craft(header: "{nope", sections: [])) == .invalidHeader(detail: "not valid UTF-8 JSON"))
    }

    @Test("random damage to a valid file never crashes the reader")
    func fuzzMutations() throws {
        let original = Array(try sampleModel().encoded())
        var rng = SplitMix64(seed: 2026)
        for _ in 0..<3_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if Bool.random(using: &rng) { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &rng)) }
            // Resealing makes the checksum pass, so the structural checks alone must hold the line.
            let data = resealed(bytes)
            if let problem = decodeProblem(data), case .unreadable = problem {
                Issue.record("unexpected error type: \(problem)")
            }
        }
    }

    @Test("random structure after a valid magic and version never crashes the reader")
    func fuzzStructure() {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<3_000 {
            let length = Int.random(in: 0...300, using: &rng)
            var bytes = Array("ARXDGMDL".utf8) + le(UInt32(1))
            // Small numbers make plausible lengths and counts, so the walk goes deeper than pure noise would.
            bytes += (0..<length).map { _ in Bool.random(using: &rng) ? UInt8.random(in: 0...3, using: &rng) : UInt8.random(in: 0...255, using: &rng) }
            bytes += [UInt8](repeating: 0, count: 32)
            if let problem = decodeProblem(resealed(bytes)), case .unreadable = problem {
                Issue.record("unexpected error type: \(problem)")
            }
        }
    }

    @Test("bytes in a Data slice that does not start at index 0 decode the same")
    func sliceInput() throws {
        let model = try sampleModel()
        let padded = Data([1, 2, 3]) + model.encoded()
        #expect(try ModelFile.decode(padded.dropFirst(3)) == model)
    }

    @Test("a header in UTF-16 is refused: the format says UTF-8")
    func utf16Header() {
        let utf16 = String(decoding: Data("{}".utf16.flatMap { le($0) }), as: UTF8.self)
        #expect(decodeProblem(craft(header: utf16, sections: [])) == .invalidHeader(detail: "not valid UTF-8 JSON"))
    }

    @Test("a missing file or a directory is reported as unreadable, naming the file")
    func unreadable() throws {
        let dir = try SharedData.temporaryDirectory()
        #expect { try ModelFile.read(from: dir.appendingPathComponent("none.model")) } throws: {
            "\($0)".hasPrefix("none.model: cannot read: no such file")
        }
        #expect { try ModelFile.read(from: dir) } throws: { "\($0)".contains("is a directory") }
    }

    @Test("a FIFO or a device is reported as not a regular file, not as a permission problem")
    func notRegular() throws {
        let fifo = try SharedData.temporaryDirectory().appendingPathComponent("pipe.model")
        try #require(mkfifo(fifo.path, 0o644) == 0)
        for url in [fifo, URL(fileURLWithPath: "/dev/null")] {
            #expect { try ModelFile.read(from: url) } throws: { error in
                let text = "\(error)"
                return text.contains("\(url.path) is a") && text.contains("not a regular file") && !text.contains("permission")
            }
        }
    }
}
