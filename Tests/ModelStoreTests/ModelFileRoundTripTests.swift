import Foundation
import Testing
import TestSupport
@testable import ModelStore

@Suite("Model file: writing and reading")
struct ModelFileRoundTripTests {
    @Test("every section type survives a write and a read, bit for bit")
    func roundTrip() throws {
        let model = try sampleModel()
        let dir = try SharedData.temporaryDirectory()
        let url = dir.appendingPathComponent("topics.model")
        try model.write(to: url)
        let read = try ModelFile.read(from: url)
        #expect(read == model)
        #expect(read.fileName == "topics.model")
        #expect(read.sectionNames == ["blob", "counts", "empty", "indices", "vocabulary", "weights"])
        #expect(try read.header(as: SampleHeader.self) == SampleHeader())
        let weights = try read.doubles("weights", count: 7)
        #expect(weights.map(\.bitPattern) == [1.5, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude,
                                              .greatestFiniteMagnitude].map(\.bitPattern))
        #expect(try read.int32s("indices") == [0, -1, .max, .min])
        #expect(try read.int64s("counts", count: 4) == [0, 1, .max, .min])
        let vocabulary = try read.strings("vocabulary")
        #expect(vocabulary.map { Array($0.utf8) } == ["quantum", "", "é", "e\u{301}", "日本語", "emoji 🧪"].map { Array($0.utf8) })
        #expect(try read.bytes("blob") == [0, 255, 7])
        #expect(try read.doubles("empty", count: 0) == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["topics.model"])
    }

    @Test("a model with no sections round-trips")
    func noSections() throws {
        let model = try ModelFile(headerJSON: Data("{}".utf8))
        let bytes = model.encoded()
        #expect(bytes.count == ModelFileFormat.minimumFileSize + 2)
        #expect(try ModelFile.decode(bytes) == model)
    }

    @Test("same content gives the same bytes, whatever order the sections were added in")
    func deterministic() throws {
        let first = try sampleModel()
        var second = try ModelFile(header: SampleHeader(), fileName: "other.model")
        for name in first.sectionNames.reversed() { try second.add(name, try #require(first.section(name))) }
        #expect(first.encoded() == second.encoded())

        let dir = try SharedData.temporaryDirectory()
        let a = dir.appendingPathComponent("a.model"), b = dir.appendingPathComponent("b.model")
        try first.write(to: a)
        try second.write(to: b)
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
        // Reading and writing again changes nothing.
        try ModelFile.read(from: a).write(to: b)
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
    }

    @Test("the header is JSON with sorted keys and no added fields")
    func headerBytes() throws {
        let model = try ModelFile(header: SampleHeader())
        let text = String(decoding: model.headerJSON, as: UTF8.self)
        #expect(text == #"{"createdBy":"ArxivDigest test","kind":"logistic-regression","options":{"C":4,"alpha":0.5},"seed":42,"trainingDataHash":"ab12"}"#)
    }

    @Test("the bytes follow the documented layout exactly")
    func layout() throws {
        var model = try ModelFile(headerJSON: Data(#"{"kind":"t"}"#.utf8))
        try model.add("b", .strings(["hé", ""]))
        try model.add("a", .int32([1, -2]))
        var expected: [UInt8] = Array("ARXDGMDL".utf8) + le(UInt32(1)) + le(UInt32(12)) + Array(#"{"kind":"t"}"#.utf8)
        expected += le(UInt32(2))
        expected += le(UInt16(1)) + Array("a".utf8) + [2] + le(UInt64(2)) + le(UInt64(8)) + le(Int32(1)) + le(Int32(-2))
        expected += le(UInt16(1)) + Array("b".utf8) + [4] + le(UInt64(2)) + le(UInt64(11))
            + le(UInt32(3)) + [0x68, 0xC3, 0xA9] + le(UInt32(0))
        expected += SHA256.hash(expected).bytes
        #expect(Array(model.encoded()) == expected)
    }

    @Test("building rejects duplicate names, empty names and a header that is not a JSON object")
    func buildErrors() throws {
        var model = try ModelFile(headerJSON: Data("{}".utf8), fileName: "x.model")
        try model.add("w", .int32([1]))
        #expect(throws: ModelFileError(file: "x.model", problem: .duplicateSection(name: "w"))) {
            try model.add("w", .float64([1]))
        }
        try model.add("é", .int32([1]))
        #expect(throws: ModelFileError(file: "x.model", problem: .duplicateSection(name: "e\u{301}"))) {
            try model.add("e\u{301}", .int32([2]))
        }
        #expect(throws: ModelFileError.self) { try model.add("", .bytes([])) }
        #expect(throws: ModelFileError.self) { try ModelFile(headerJSON: Data("[1, 2]".utf8)) }
        #expect(throws: ModelFileError.self) { try ModelFile(headerJSON: Data("{".utf8)) }
    }

    @Test("writing into a missing folder fails and names the path")
    func writeFailure() throws {
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/topics.model")
        #expect { try sampleModel().write(to: url) } throws: { "\($0)".contains(url.path) }
    }
}
