/// Precision, recall, F1 and support of one class.
public struct ClassMetrics: Equatable, Sendable {
    public let label: String
    public let precision: Double
    public let recall: Double
    public let f1: Double
    /// Number of samples whose true label is this class.
    public let support: Int
}

/// Accuracy, per-class scores, macro-F1 and the confusion matrix of one set of predictions,
/// with scikit-learn's conventions: a score whose denominator is 0 is 0 (precision of a class
/// never predicted, recall of a class never true, F1 where precision + recall = 0), and the
/// labels are the union of true and predicted ones.
public struct ClassificationMetrics: Equatable, Sendable {
    /// The classes, in the order of rows, columns and ``perClass``.
    public let labels: [String]
    /// `confusion[i][j]` = samples of true class `labels[i]` predicted as `labels[j]`.
    public let confusion: [[Int]]
    public let perClass: [ClassMetrics]
    public let accuracy: Double
    /// Unweighted mean of the per-class F1 over ``labels``.
    public let macroF1: Double
    public var sampleCount: Int { confusion.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Scores `predicted` against `truth`.
    /// - Parameter labelOrder: the preferred class order (e.g. the digest sections). Only labels
    ///   that occur in `truth` or `predicted` are kept; labels missing from the order follow, sorted.
    /// - Throws: ``EvaluationError`` for empty or mismatched input or a repeated label in the order.
    public init(truth: [String], predicted: [String], labelOrder: [String] = []) throws {
        guard truth.count == predicted.count else {
            throw EvaluationError.lengthMismatch(truth: truth.count, predicted: predicted.count)
        }
        guard !truth.isEmpty else { throw EvaluationError.empty }
        var seen = Set<String>()
        for label in labelOrder where !seen.insert(label).inserted { throw EvaluationError.duplicateLabel(label) }
        let present = Set(truth).union(predicted)
        let labels = labelOrder.filter(present.contains) + present.subtracting(labelOrder).sorted()
        let position = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })

        var confusion = Array(repeating: Array(repeating: 0, count: labels.count), count: labels.count)
        for (t, p) in zip(truth, predicted) { confusion[position[t]!][position[p]!] += 1 }

        var perClass: [ClassMetrics] = []
        for (k, label) in labels.enumerated() {
            let truePositives = confusion[k][k]
            let support = confusion[k].reduce(0, +)
            let predictedCount = confusion.reduce(0) { $0 + $1[k] }
            let precision = Self.ratio(truePositives, predictedCount)
            let recall = Self.ratio(truePositives, support)
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            perClass.append(ClassMetrics(label: label, precision: precision, recall: recall, f1: f1, support: support))
        }
        let correct = labels.indices.reduce(0) { $0 + confusion[$1][$1] }
        self.labels = labels
        self.confusion = confusion
        self.perClass = perClass
        self.accuracy = Double(correct) / Double(truth.count)
        self.macroF1 = perClass.reduce(0) { $0 + $1.f1 } / Double(labels.count)
    }

    /// The scores of `label`, or nil when it occurs in neither truth nor predictions.
    public func metrics(for label: String) -> ClassMetrics? { perClass.first { $0.label == label } }

    private static func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        denominator == 0 ? 0 : Double(numerator) / Double(denominator)
    }
}
