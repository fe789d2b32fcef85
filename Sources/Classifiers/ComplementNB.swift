import Foundation
import LinearAlgebra

/// Complement naive Bayes (Rennie et al., 2003), matching scikit-learn's `ComplementNB`.
///
/// Each class is described by the counts of all *other* classes: `comp[c, j] = Σ_c' N_c'j + α − N_cj`,
/// `logged[c, j] = log(comp[c, j] / Σ_j comp[c, j])`, and `featureLogProb = −logged`
/// (or `logged / Σ_j logged[c, j]` with `norm`). A row's score is `x · featureLogProb[c]`, plus the class
/// log-prior only when there is a single class; `predictLogProbabilities` subtracts its logsumexp.
public struct ComplementNB: Classifier {
    public let classes: [String]
    /// k × d class weights (`feature_log_prob_`).
    public let featureLogProb: DenseMatrix
    /// k log-priors (`class_log_prior_`); they enter the scores only for a one-class model, as in sklearn.
    public let classLogPrior: [Double]
    private let scores: LinearScores

    public var featureCount: Int { featureLogProb.columnCount }

    /// Trains on `x` (non-negative, n × d) with `labels[i]` indexing `classes`.
    /// - Parameters:
    ///   - alpha: the smoothing added to every complement count, ≥ 0.
    ///   - norm: normalise each class's weights by their sum (sklearn's `norm=True`).
    ///   - fitPrior: learn class priors from label frequencies (they matter only with one class).
    public init(
        training x: SparseMatrix, labels: [Int], classes: [String], alpha: Double = 1.0, norm: Bool = false,
        fitPrior: Bool = true
    ) throws(ClassifierError) {
        guard alpha >= 0, alpha.isFinite else { throw .optionOutOfRange(option: "alpha", value: alpha, requirement: "≥ 0 and finite") }
        _ = try TrainingData.validate(x, labels: labels, classes: classes, minimumClasses: 1)
        try TrainingData.requireNonNegative(x)
        let counts = NaiveBayesCounts(x, labels: labels, classCount: classes.count)
        let k = classes.count, d = x.columnCount
        var featureAll = [Double](repeating: 0, count: d)
        for c in 0..<k { for j in 0..<d { featureAll[j] += counts.featureCount.values[c * d + j] } }
        var weights = DenseMatrix(rowCount: k, columnCount: d)
        for c in 0..<k {
            var complement = [Double](repeating: 0, count: d)
            var total = 0.0
            for j in 0..<d {
                complement[j] = featureAll[j] + alpha - counts.featureCount.values[c * d + j]
                total += complement[j]
            }
            var loggedSum = 0.0
            for j in 0..<d {
                let logged = log(complement[j] / total)
                weights.values[c * d + j] = logged
                loggedSum += logged
            }
            for j in 0..<d {
                let logged = weights.values[c * d + j]
                weights.values[c * d + j] = norm ? logged / loggedSum : -logged
            }
        }
        try self.init(classes: classes, featureLogProb: weights, classLogPrior: counts.classLogPrior(fitPrior: fitPrior))
    }

    /// Restores a trained model from its fitted parameters (e.g. read from a model file).
    public init(classes: [String], featureLogProb: DenseMatrix, classLogPrior: [Double]) throws(ClassifierError) {
        try NaiveBayesParameters.validate(classes: classes, featureLogProb: featureLogProb, classLogPrior: classLogPrior)
        self.classes = classes
        self.featureLogProb = featureLogProb
        self.classLogPrior = classLogPrior
        let offsets = classes.count == 1 ? classLogPrior : [Double](repeating: 0, count: classes.count)
        self.scores = LinearScores(weights: featureLogProb, offsets: offsets)
    }

    public func predictLogProbabilities(_ x: SparseMatrix) throws(ClassifierError) -> DenseMatrix {
        try scores.logProbabilities(x)
    }
}
