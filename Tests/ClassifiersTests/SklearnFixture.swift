import Foundation
import LinearAlgebra
import TestSupport

/// A TF-IDF matrix, labels and scikit-learn's outputs, written by `Scripts/sklearn_parity.py`.
///
/// Running sklearn takes minutes for the arXiv case on a loaded machine, so each output folder is kept across
/// runs in `TestCache.root` (outside the checkout), named by the script's `--cache-key`: a SHA-256 of the
/// script, the input records, the variant and the scikit-learn, numpy and scipy versions. Any change to those,
/// or a missing folder, runs the real sklearn again.
struct SklearnFixture: Sendable {
    struct Model: Decodable, Sendable {
        struct Options: Decodable, Sendable {
            var alpha: Double?
            var norm: Bool?
            var C: Double?
            var balanced: Bool?
            /// Logistic regression stopped at scikit-learn's own tolerances (`tol`, `max_iter`), where given.
            var tol: Double?
            var max_iter: Int?
        }
        var name: String
        var kind: String
        var options: Options
        var iterations: Int?
    }
    struct Meta: Decodable, Sendable {
        var rows: Int
        var columns: Int
        var classes: [String]
        var models: [Model]
    }

    let meta: Meta
    let matrix: SparseMatrix
    let labels: [Int]
    let folder: URL

    static let script = "Tests/ClassifiersTests/Scripts/sklearn_parity.py"

    init(dataset: String, variant: String) throws {
        let keyRun = try ProcessRunner.python(Self.script, ["--cache-key", dataset, variant])
        guard keyRun.status == 0 else { throw ScriptFailed(status: keyRun.status, stderr: keyRun.stderrText) }
        let key = keyRun.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let cacheRoot = TestCache.root.appendingPathComponent("sklearn-parity")
        let folder = cacheRoot.appendingPathComponent("\(dataset)-\(variant)-\(key)")
        if !FileManager.default.fileExists(atPath: folder.appendingPathComponent("meta.json").path) {
            try FileManager.default.createDirectory(at: cacheRoot, withIntermediateDirectories: true)
            let staging = cacheRoot.appendingPathComponent("staging-" + UUID().uuidString)
            let run = try ProcessRunner.python(Self.script, [dataset, variant, staging.path])
            guard run.status == 0 else { throw ScriptFailed(status: run.status, stderr: run.stderrText) }
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.moveItem(at: staging, to: folder)
        }
        self.folder = folder
        meta = try JSONDecoder().decode(Meta.self, from: Data(contentsOf: folder.appendingPathComponent("meta.json")))
        let offsets: [Int64] = try Self.read(folder.appendingPathComponent("indptr.i64"))
        matrix = SparseMatrix(
            rowCount: meta.rows, columnCount: meta.columns, rowOffsets: offsets.map(Int.init),
            columns: try Self.read(folder.appendingPathComponent("indices.i32")),
            values: try Self.read(folder.appendingPathComponent("data.f64")))
        let labels64: [Int64] = try Self.read(folder.appendingPathComponent("labels.i64"))
        labels = labels64.map(Int.init)
    }

    /// sklearn's n × k output for a model: log-probabilities (naive Bayes) or probabilities (logistic).
    func output(_ model: Model) throws -> DenseMatrix {
        let values: [Double] = try Self.read(folder.appendingPathComponent(model.name + ".f64"))
        return DenseMatrix(rowCount: meta.rows, columnCount: meta.classes.count, values: values)
    }

    func predictions(_ model: Model) throws -> [Int] {
        let values: [Int64] = try Self.read(folder.appendingPathComponent(model.name + ".pred.i64"))
        return values.map(Int.init)
    }

    /// A little-endian array of fixed-width numbers (this machine is little-endian, like the writer).
    static func read<T: FixedWidthNumber>(_ url: URL) throws -> [T] {
        let data = try Data(contentsOf: url)
        return data.withUnsafeBytes { raw in
            (0..<data.count / MemoryLayout<T>.size).map { raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self) }
        }
    }

    struct ScriptFailed: Error, CustomStringConvertible {
        var status: Int32
        var stderr: String
        var description: String { "sklearn_parity.py exited with \(status): \(stderr)" }
    }
}

protocol FixedWidthNumber: BitwiseCopyable {}
extension Int64: FixedWidthNumber {}
extension Int32: FixedWidthNumber {}
extension Double: FixedWidthNumber {}
