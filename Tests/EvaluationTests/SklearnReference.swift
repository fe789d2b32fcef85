import Foundation
import TestSupport

/// Runs `sklearn_reference.py` (scikit-learn's metrics, and a Python copy of the keyword rules).
enum SklearnReference {
    static let script = "Tests/EvaluationTests/sklearn_reference.py"

    struct Metrics: Decodable {
        let accuracy: Double
        let macro_f1: Double
        let precision: [Double]
        let recall: [Double]
        let f1: [Double]
        let support: [Int]
        let confusion_matrix: [[Int]]
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func metrics(truth: [String], predicted: [String], labels: [String]) throws -> Metrics {
        let input = try JSONSerialization.data(withJSONObject: ["truth": truth, "predicted": predicted, "labels": labels])
        let result = try ProcessRunner.python(script, [], input: input)
        guard result.status == 0 else { throw Failure(description: "sklearn_reference.py: \(result.stderrText)") }
        return try JSONDecoder().decode(Metrics.self, from: result.stdout)
    }

    static func keywordLabels(jsonl url: URL) throws -> [String] {
        let result = try ProcessRunner.python(script, ["keywords", url.path])
        guard result.status == 0 else { throw Failure(description: "sklearn_reference.py: \(result.stderrText)") }
        return try JSONDecoder().decode([String].self, from: result.stdout)
    }
}
