import Foundation
import Testing
@testable import ModelStore

@Suite("Model file: typed accessors")
struct ModelFileAccessorTests {
    @Test("a wrong element count is a dimension mismatch that names the section and both counts")
    func dimensionMismatch() throws {
        var model = try ModelFile(headerJSON: Data("{}".utf8), fileName: "topics.model")
        try model.add("weights", .float64([Double](repeating: 0.25, count: 1200)))
        let k = 4, d = 400
        #expect(throws: ModelFileError(file: "topics.model",
                                       problem: .dimensionMismatch(name: "weights", found: 1200, expected: 1600))) {
            try model.doubles("weights", count: k * d)
        }
        do {
            _ = try model.doubles("weights", count: 1600)
        } catch {
            #expect("\(error)" == #"topics.model: section "weights" has 1,200 values, expected 1,600"#)
        }
        #expect(try model.doubles("weights", count: 3 * d).count == 1200)
    }

    @Test("asking for the wrong type or a missing section is an error, not a guess")
    func wrongTypeAndMissing() throws {
        let model = try sampleModel()
        #expect(throws: ModelFileError(file: "sample.model",
                                       problem: .wrongSectionType(name: "indices", expected: .int64, found: .int32))) {
            try model.int64s("indices")
        }
        #expect(throws: ModelFileError(file: "sample.model", problem: .missingSection(name: "idf"))) {
            try model.doubles("idf")
        }
        #expect(throws: ModelFileError.self) { try model.strings("weights") }
        #expect(throws: ModelFileError.self) { try model.bytes("vocabulary") }
        #expect(throws: ModelFileError.self) { try model.int32s("blob") }
    }

    @Test("a header that does not match the requested type is an invalid-header error")
    func headerTypeMismatch() throws {
        struct Other: Decodable { let classes: [String] }
        let model = try sampleModel()
        #expect { try model.header(as: Other.self) } throws: { error in
            guard let error = error as? ModelFileError, case .invalidHeader = error.problem else { return false }
            return "\(error)".hasPrefix("sample.model: invalid header")
        }
    }
}
