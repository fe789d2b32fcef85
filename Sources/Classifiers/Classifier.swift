import Foundation
import LinearAlgebra

/// A trained text classifier over sparse feature rows (e.g. TF-IDF), with classes in a fixed order.
public protocol Classifier: Sendable {
    /// Class names; column `c` of every prediction is `classes[c]`.
    var classes: [String] { get }
    /// The number of feature columns the classifier expects.
    var featureCount: Int { get }
    /// Log-probabilities, n × classes.count; each row's exponentials sum to 1.
    func predictLogProbabilities(_ x: SparseMatrix) throws(ClassifierError) -> DenseMatrix
}

extension Classifier {
    /// Probabilities, n × classes.count: `exp` of `predictLogProbabilities`.
    public func predictProbabilities(_ x: SparseMatrix) throws(ClassifierError) -> DenseMatrix {
        var result = try predictLogProbabilities(x)
        for i in result.values.indices { result.values[i] = exp(result.values[i]) }
        return result
    }

    /// The most probable class index of each row; ties go to the lowest index, like `numpy.argmax`.
    public func predict(_ x: SparseMatrix) throws(ClassifierError) -> [Int] {
        try predictLogProbabilities(x).rowArgmax()
    }
}

extension DenseMatrix {
    /// The column of each row's largest entry, the first one on ties.
    public func rowArgmax() -> [Int] {
        (0..<rowCount).map { r in
            var best = 0
            for c in 1..<max(columnCount, 1) where self[r, c] > self[r, best] { best = c }
            return best
        }
    }
}
