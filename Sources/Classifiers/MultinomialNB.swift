import Foundation
import LinearAlgebra

/// Multinomial naive Bayes with additive (Laplace/Lidstone) smoothing, matching scikit-learn's `MultinomialNB`.
///
/// `featureLogProb[c, j] = log(N_cj + α) − log(Σ_j (N_cj + α))`, where `N_cj` sums feature j over class c;
/// the joint log-likelihood of a row is `x · featureLogProb[c] + classLogPrior[c]`, and
/// `predictLogProbabilities` subtracts its logsumexp.
public struct MultinomialNB: Classifier {
    public let classes: [String]
    /// k × d smoothed log-probabilities of each feature given the class (`feature_log_prob_`).
    public let featureLogProb: DenseMatrix
    /// k log-priors (`class_log_prior_`): empirical with `fitPrior`, else uniform.
    public let classLogPrior: [Double]
    private let scores: LinearScores

    public var featureCount: Int { featureLogProb.columnCount }

    /// Trains on `x` (non-negative, n × d) with `labels[i]` indexing `classes`.
    /// - Parameters:
    ///   - alpha: the smoothing added to every count, ≥ 0 (sklearn's `force_alpha=True`: used as given).
    ///   - fitPrior: learn class priors from the label frequencies; otherwise uniform.
    public init(
        training x: SparseMatrix, labels: [Int], classes: [String], alpha: Double = 1.0, fitPrior: Bool = true
    ) throws(ClassifierError) {
        guard alpha >= 0, alpha.isFinite else { throw .optionOutOfRange(option: "alpha", value: alpha, requirement: "≥ 0 and finite") }
        _ = try TrainingData.validate(x, labels: labels, classes: classes, minimumClasses: 1)
        try TrainingData.requireNonNegative(x)
        let counts = NaiveBayesCounts(x, labels: labels, classCount: classes.count)
        let d = x.columnCount
        var logProb = counts.featureCount
        for c in 0..<classes.count {
            var total = 0.0
            for j in 0..<d { total += logProb.values[c * d + j] + alpha }
            let logTotal = log(total)
            for j in 0..<d { logProb.values[c * d + j] = log(logProb.values[c * d + j] + alpha) - logTotal }
        }
        try self.init(classes: classes, featureLogProb: logProb, classLogPrior: counts.classLogPrior(fitPrior: fitPrior))
    }

    /// Restores a trained model from its fitted parameters (e.g. read from a model file).
    public init(classes: [String], featureLogProb: DenseMatrix, classLogPrior: [Double]) throws(ClassifierError) {
        try NaiveBayesParameters.validate(classes: classes, featureLogProb: featureLogProb, classLogPrior: classLogPrior)
        self.classes = classes
        self.featureLogProb = featureLogProb
        self.classLogPrior = classLogPrior
        self.scores = LinearScores(weights: featureLogProb, offsets: classLogPrior)
    }

    public func predictLogProbabilities(_ x: SparseMatrix) throws(ClassifierError) -> DenseMatrix {
        try scores.logProbabilities(x)
    }
}
