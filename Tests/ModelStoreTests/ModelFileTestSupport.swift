import Foundation
@testable import ModelStore

/// A header shaped like the real one will be: its keys are declared out of order on purpose.
struct SampleHeader: Codable, Equatable {
    var kind = "logistic-regression"
    var createdBy = "ArxivDigest test"
    var seed: UInt64 = 42
    var options: [String: Double] = ["C": 4.0, "alpha": 0.5]
    var trainingDataHash = "ab12"
}

/// A small model with one section of every type, including awkward values.
func sampleModel() throws -> ModelFile {
    var model = try ModelFile(header: SampleHeader(), fileName: "sample.model")
    try model.add("weights", .float64([1.5, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude]))
    try model.add("indices", .int32([0, -1, .max, .min]))
    try model.add("counts", .int64([0, 1, .max, .min]))
    try model.add("vocabulary", .strings(["quantum", "", "é", "e\u{301}", "日本語", "emoji 🧪"]))
    try model.add("blob", .bytes([0, 255, 7]))
    try model.add("empty", .float64([]))
    return model
}

/// Replaces the trailing SHA-256 with the correct one, so a test can make a structurally wrong file
/// that only the structural checks (not the checksum) can catch.
func resealed(_ bytes: [UInt8]) -> Data {
    let body = Array(bytes.dropLast(ModelFileFormat.checksumSize))
    return Data(body + SHA256.hash(body).bytes)
}

/// Little-endian bytes of an integer, for assembling files by hand.
func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

/// The problem a decode fails with, or nil if it succeeds.
func decodeProblem(_ data: Data, fileName: String = "t.model") -> ModelFileError.Problem? {
    do {
        _ = try ModelFile.decode(data, fileName: fileName)
        return nil
    } catch let error as ModelFileError {
        return error.problem
    } catch {
        return .unreadable(reason: "unexpected error type: \(error)")
    }
}

