import LinearAlgebra

/// Multinomial logistic regression with an L2 penalty on the weights, trained by L-BFGS as scikit-learn 1.9's
/// `LogisticRegression(solver="lbfgs")` is (see `LogisticLoss` for the objective): to the same optimum, and
/// along the same path, so a fit stopped by `tol` or `maxIterations` stops where scikit-learn's does, at the
/// same iteration, with the same predictions (`LBFGS`; `SklearnParityTests`).
///
/// Probabilities are `softmax(x·Wᵀ + b)`. With two classes sklearn fits one binomial score `z = x·w + b`;
/// it is stored here as the rows `−w/2` and `+w/2` (and intercepts `∓b/2`), whose softmax is `σ(z)`.
public struct LogisticRegression: Classifier {
    /// How rows are weighted in the loss.
    public enum ClassWeight: String, Sendable, Equatable {
        /// Every row weighs 1.
        case none
        /// A row of class c weighs `n / (k · n_c)`, as sklearn's `class_weight="balanced"`.
        case balanced
    }

    /// How training ended.
    public struct FitSummary: Sendable, Equatable {
        public var iterations: Int
        public var evaluations: Int
        /// The objective at the returned weights.
        public var loss: Double
        public var stop: LBFGS.Stop
        public var converged: Bool { stop == .gradientTolerance || stop == .functionTolerance }
    }

    public let classes: [String]
    /// k × d weights (`coef_` for k > 2).
    public let weights: DenseMatrix
    /// k intercepts (`intercept_`), zeros without `fitIntercept`.
    public let intercepts: [Double]
    /// Present on a model trained in this process; nil on a restored one.
    public let fitSummary: FitSummary?
    private let scores: LinearScores

    public var featureCount: Int { weights.columnCount }

    /// Trains on `x` (n × d) with `labels[i]` indexing `classes` (at least two).
    /// - Parameters:
    ///   - C: inverse regularisation strength, > 0.
    ///   - tol: stop when every gradient component is at most this, > 0 (sklearn's `tol`).
    ///   - maxIterations: L-BFGS iteration limit, ≥ 1 (sklearn's `max_iter`); reaching it is not an error,
    ///     see `fitSummary.converged`.
    ///   - historySize: the L-BFGS memory m, ≥ 1 (scipy's `maxcor`, 10 as scikit-learn calls it): the optimiser
    ///     keeps 2m vectors of the parameters' size, most of the memory of a large fit.
    ///   - historyPrecision: how those vectors are stored; `.float` halves their memory (the 87M-parameter
    ///     1–2-gram arxiv-categories fit peaked at 11.9 GB instead of 18.5) and takes a slightly different
    ///     path, so a fit stopped at the iteration limit lands elsewhere (Benchmarks/README, "Fifth pass").
    ///   - preconditioned: start L-BFGS's inverse-Hessian estimate from each feature's own curvature
    ///     (`LogisticLoss.inverseCurvatureDiagonal`) instead of scikit-learn's identity: the same optimum in far
    ///     fewer iterations (48 instead of over 300 on the 100k arxiv-categories split at C = 256). Off by
    ///     default: a fit stopped by `tol` or `maxIterations` before the optimum lands elsewhere, and at the
    ///     large C that cross-validation picks, the identity's slower path generalises better than the
    ///     optimum does (Benchmarks/README, "Eighth pass").
    ///   - progress: called after every evaluation of the loss with (evaluations so far, loss), so a
    ///     caller can show a long fit moving; it must not print from library code.
    public init(
        training x: SparseMatrix, labels: [Int], classes: [String], C: Double = 1.0, tol: Double = 1e-4,
        maxIterations: Int = 100, classWeight: ClassWeight = .none, fitIntercept: Bool = true,
        historySize: Int = 10, historyPrecision: LBFGS.HistoryPrecision = .double, preconditioned: Bool = false,
        progress: ((Int, Double) -> Void)? = nil
    ) throws(ClassifierError) {
        guard C > 0, C.isFinite else { throw .optionOutOfRange(option: "C", value: C, requirement: "> 0 and finite") }
        guard tol > 0, tol.isFinite else { throw .optionOutOfRange(option: "tol", value: tol, requirement: "> 0 and finite") }
        guard maxIterations >= 1 else {
            throw .optionOutOfRange(option: "maxIterations", value: Double(maxIterations), requirement: "≥ 1")
        }
        guard historySize >= 1 else {
            throw .optionOutOfRange(option: "historySize", value: Double(historySize), requirement: "≥ 1")
        }
        let counts = try TrainingData.validate(x, labels: labels, classes: classes, minimumClasses: 2)
        let k = classes.count, n = x.rowCount, d = x.columnCount
        let sampleWeights: [Double] = switch classWeight {
        case .none: [Double](repeating: 1, count: n)
        case .balanced: labels.map { Double(n) / (Double(k) * Double(counts[$0])) }
        }
        let loss = LogisticLoss(
            x: x, labels: labels, sampleWeights: sampleWeights, classCount: k, C: C, fitIntercept: fitIntercept)
        var solver = LBFGS(gradientTolerance: tol, maxIterations: maxIterations, historySize: historySize)
        solver.maxLineSearchSteps = 50
        solver.historyPrecision = historyPrecision
        if preconditioned { solver.inverseHessianDiagonal = loss.inverseCurvatureDiagonal() }
        var evaluations = 0
        let result = solver.minimize(from: [Double](repeating: 0, count: loss.parameterCount)) { theta, gradient in
            let value = loss.evaluate(theta, &gradient)
            evaluations += 1
            progress?(evaluations, value)
            return value
        }
        // Unpack θ (d × m feature-major weights, then m intercepts) into k × d rows.
        var w = DenseMatrix(rowCount: k, columnCount: d)
        var b = [Double](repeating: 0, count: k)
        let m = loss.columns
        if loss.binomial {
            for j in 0..<d {
                w[0, j] = -0.5 * result.x[j]
                w[1, j] = 0.5 * result.x[j]
            }
            if fitIntercept { b = [-0.5 * result.x[d], 0.5 * result.x[d]] }
        } else {
            for j in 0..<d { for c in 0..<m { w[c, j] = result.x[j * m + c] } }
            if fitIntercept { for c in 0..<m { b[c] = result.x[d * m + c] } }
        }
        self.classes = classes
        self.weights = w
        self.intercepts = b
        self.fitSummary = FitSummary(
            iterations: result.iterations, evaluations: result.evaluations, loss: result.value, stop: result.stop)
        self.scores = LinearScores(weights: w, offsets: b)
    }

    /// Restores a trained model from its weights (k × d) and intercepts (k).
    public init(classes: [String], weights: DenseMatrix, intercepts: [Double]) throws(ClassifierError) {
        guard classes.count >= 2 else { throw .tooFewClasses(count: classes.count, minimum: 2) }
        guard weights.rowCount == classes.count else {
            throw .parameterShapeMismatch(parameter: "weights", expected: "\(classes.count) rows",
                                          actual: "\(weights.rowCount)×\(weights.columnCount)")
        }
        guard intercepts.count == classes.count else {
            throw .parameterShapeMismatch(parameter: "intercepts", expected: "\(classes.count)", actual: "\(intercepts.count)")
        }
        self.classes = classes
        self.weights = weights
        self.intercepts = intercepts
        self.fitSummary = nil
        self.scores = LinearScores(weights: weights, offsets: intercepts)
    }

    public func predictLogProbabilities(_ x: SparseMatrix) throws(ClassifierError) -> DenseMatrix {
        try scores.logProbabilities(x)
    }
}
