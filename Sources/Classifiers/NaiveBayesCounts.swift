import Foundation
import LinearAlgebra

/// The sufficient statistics of discrete naive Bayes: per class, the summed feature values and the row count.
struct NaiveBayesCounts {
    /// k × d: `featureCount[c, j] = Σ_{i: y_i = c} X[i, j]`.
    var featureCount: DenseMatrix
    /// k: the number of rows of each class.
    var classCount: [Double]

    init(_ x: SparseMatrix, labels: [Int], classCount k: Int) {
        featureCount = DenseMatrix(rowCount: k, columnCount: x.columnCount)
        classCount = [Double](repeating: 0, count: k)
        let d = x.columnCount
        for row in 0..<x.rowCount {
            let base = labels[row] * d
            classCount[labels[row]] += 1
            for e in x.entryRange(ofRow: row) { featureCount.values[base + Int(x.columns[e])] += x.values[e] }
        }
    }

    /// sklearn's `_update_class_log_prior`: the empirical prior, or uniform without `fitPrior`.
    func classLogPrior(fitPrior: Bool) -> [Double] {
        let k = classCount.count
        guard fitPrior else { return [Double](repeating: -log(Double(k)), count: k) }
        let logTotal = log(classCount.reduce(0, +))
        return classCount.map { log($0) - logTotal }
    }
}

/// Checks a restored naive Bayes model's parameter shapes.
enum NaiveBayesParameters {
    static func validate(classes: [String], featureLogProb: DenseMatrix, classLogPrior: [Double]) throws(ClassifierError) {
        guard !classes.isEmpty else { throw .tooFewClasses(count: 0, minimum: 1) }
        guard featureLogProb.rowCount == classes.count else {
            throw .parameterShapeMismatch(parameter: "featureLogProb", expected: "\(classes.count) rows",
                                          actual: "\(featureLogProb.rowCount)×\(featureLogProb.columnCount)")
        }
        guard classLogPrior.count == classes.count else {
            throw .parameterShapeMismatch(parameter: "classLogPrior", expected: "\(classes.count)",
                                          actual: "\(classLogPrior.count)")
        }
    }
}
