import Foundation
import Classifiers
import LinearAlgebra
import Testing

/// Small synthetic problems: determinism, restoring fitted parameters, argmax ties and typed errors.
@Suite("classifier behaviour")
struct ClassifierBehaviourTests {
    static let classes = ["a", "b", "c"]
    static let x = RandomMatrices.sparse(rows: 300, columns: 40, density: 0.15, seed: 21)
    /// Labels from a fixed linear rule plus a few flips, so every class appears.
    static let labels: [Int] = (0..<300).map { i in
        var score = [0.0, 0, 0]
        for e in x.entryRange(ofRow: i) { score[Int(x.columns[e]) % 3] += x.values[e] }
        return i % 17 == 0 ? i % 3 : score.indices.max { score[$0] < score[$1] }!
    }

    @Test("logistic regression: fitting twice gives bit-identical weights")
    func deterministicFit() throws {
        let first = try LogisticRegression(training: Self.x, labels: Self.labels, classes: Self.classes, C: 10, tol: 1e-8, maxIterations: 500)
        let second = try LogisticRegression(training: Self.x, labels: Self.labels, classes: Self.classes, C: 10, tol: 1e-8, maxIterations: 500)
        #expect(first.weights == second.weights)
        #expect(first.intercepts == second.intercepts)
        #expect(first.fitSummary == second.fitSummary)
        #expect(first.fitSummary?.converged == true)
        #expect(first.weights.values.contains { $0 != 0 })
    }

    @Test("bit-identical fits on a problem large enough for parallel chunked BLAS and many row blocks")
    func deterministicLargeFit() throws {
        let x = RandomMatrices.sparse(rows: 1500, columns: 3000, density: 0.01, seed: 5)
        let labels = (0..<1500).map { $0 % 50 }
        let classes = (0..<50).map { "class\($0)" }
        // 3000 × 50 weights > 2 × BLAS.chunkLength, so L-BFGS's vector operations run in chunks.
        #expect(3000 * 50 >= 2 * BLAS.chunkLength)
        let fit = { try LogisticRegression(training: x, labels: labels, classes: classes, C: 10, tol: 1e-6, maxIterations: 25) }
        let first = try fit(), second = try fit()
        #expect(first.weights == second.weights)
        #expect(first.intercepts == second.intercepts)
        #expect(first.fitSummary?.iterations == 25)
    }

    @Test("fitted weights are centred across classes, probabilities sum to 1, training accuracy is high")
    func optimality() throws {
        let model = try LogisticRegression(training: Self.x, labels: Self.labels, classes: Self.classes, C: 1, tol: 1e-9, maxIterations: 1000)
        // Σ_c W[c, j] = 0 at the optimum: the penalty picks the centred solution of the softmax.
        for j in 0..<Self.x.columnCount {
            #expect(abs((0..<3).reduce(0.0) { $0 + model.weights[$1, j] }) < 1e-9)
        }
        let probabilities = try model.predictProbabilities(Self.x)
        for r in 0..<Self.x.rowCount { #expect(abs(probabilities.row(r).reduce(0, +) - 1) < 1e-12) }
        let accuracy = Double(zip(try model.predict(Self.x), Self.labels).filter { $0 == $1 }.count) / 300
        #expect(accuracy > 0.8)
    }

    @Test("a shorter L-BFGS memory reaches the same optimum: the history size changes the path, not the answer")
    func historySize() throws {
        let fit = { (m: Int) in
            try LogisticRegression(training: Self.x, labels: Self.labels, classes: Self.classes, C: 1, tol: 1e-9,
                                   maxIterations: 1000, historySize: m)
        }
        let full = try fit(10), short = try fit(3)
        #expect(full.fitSummary?.converged == true && short.fitSummary?.converged == true)
        // Different paths (the memory is used), the same strictly convex optimum.
        #expect(full.fitSummary?.evaluations != short.fitSummary?.evaluations || full.weights.values != short.weights.values)
        #expect(abs(full.fitSummary!.loss - short.fitSummary!.loss) <= 1e-9 * abs(full.fitSummary!.loss))
        for (a, b) in zip(full.weights.values, short.weights.values) { #expect(abs(a - b) < 1e-5) }
    }

    @Test("Float history pairs reach the Double pairs' optimum by another path, the same bits every run")
    func floatHistory() throws {
        let fit = { (precision: LBFGS.HistoryPrecision) in
            try LogisticRegression(training: Self.x, labels: Self.labels, classes: Self.classes, C: 1, tol: 1e-9,
                                   maxIterations: 1000, historyPrecision: precision)
        }
        let double = try fit(.double), float = try fit(.float), again = try fit(.float)
        #expect(double.fitSummary?.converged == true && float.fitSummary?.converged == true)
        // The rounding is used (another path) but the strictly convex optimum is the same.
        #expect(double.weights.values != float.weights.values)
        #expect(abs(double.fitSummary!.loss - float.fitSummary!.loss) <= 1e-9 * abs(double.fitSummary!.loss))
        for (a, b) in zip(double.weights.values, float.weights.values) { #expect(abs(a - b) < 1e-5) }
        #expect(float.weights.values == again.weights.values && float.intercepts == again.intercepts)
    }

    @Test("preconditioning by the features' curvature reaches the same optimum in fewer iterations",
          arguments: [3, 2])
    func preconditioned(classCount: Int) throws {
        // Column j scaled by 10^(j mod 4 − 2): features a thousand-fold apart in Σ xᵢⱼ², as TF-IDF's are.
        var x = Self.x
        for e in x.values.indices { x.values[e] *= pow(10, Double(Int(x.columns[e]) % 4) - 2) }
        let labels = Self.labels.map { classCount == 2 ? ($0 == 0 ? 0 : 1) : $0 }
        let classes = Array(Self.classes.prefix(classCount))
        let fit = { (preconditioned: Bool) in
            try LogisticRegression(training: x, labels: labels, classes: classes, C: 100, tol: 1e-8,
                                   maxIterations: 5000, preconditioned: preconditioned)
        }
        let plain = try fit(false), scaled = try fit(true), again = try fit(true)
        #expect(plain.fitSummary?.converged == true && scaled.fitSummary?.converged == true)
        #expect(scaled.fitSummary!.iterations < plain.fitSummary!.iterations)
        #expect(abs(plain.fitSummary!.loss - scaled.fitSummary!.loss) <= 1e-9 * abs(plain.fitSummary!.loss))
        for (a, b) in zip(plain.weights.values, scaled.weights.values) { #expect(abs(a - b) < 1e-4 * max(1, abs(a))) }
        #expect(try plain.predict(x) == scaled.predict(x))
        #expect(scaled.weights.values == again.weights.values && scaled.intercepts == again.intercepts)
    }

    @Test("two classes: the binomial fit's softmax rows are ±w/2 and give sigmoid probabilities")
    func binary() throws {
        let labels = Self.labels.map { $0 == 0 ? 0 : 1 }
        let model = try LogisticRegression(training: Self.x, labels: labels, classes: ["no", "yes"], C: 1, tol: 1e-9, maxIterations: 500)
        for j in 0..<Self.x.columnCount { #expect(model.weights[0, j] == -model.weights[1, j]) }
        #expect(model.intercepts[0] == -model.intercepts[1])
        let p = try model.predictProbabilities(Self.x)
        let z = Self.x.multiplied(byTransposeOf: model.weights)
        for r in 0..<Self.x.rowCount {
            let score = (z[r, 1] + model.intercepts[1]) - (z[r, 0] + model.intercepts[0])
            #expect(abs(p[r, 1] - 1 / (1 + exp(-score))) < 1e-12)
        }
    }

    @Test("restoring fitted parameters reproduces the predictions exactly")
    func restore() throws {
        let lr = try LogisticRegression(training: Self.x, labels: Self.labels, classes: Self.classes, C: 3, maxIterations: 50)
        let lr2 = try LogisticRegression(classes: lr.classes, weights: lr.weights, intercepts: lr.intercepts)
        #expect(try lr2.predictLogProbabilities(Self.x) == lr.predictLogProbabilities(Self.x))
        let mnb = try MultinomialNB(training: Self.x, labels: Self.labels, classes: Self.classes, alpha: 0.5)
        let mnb2 = try MultinomialNB(classes: mnb.classes, featureLogProb: mnb.featureLogProb, classLogPrior: mnb.classLogPrior)
        #expect(try mnb2.predictLogProbabilities(Self.x) == mnb.predictLogProbabilities(Self.x))
        let cnb = try ComplementNB(training: Self.x, labels: Self.labels, classes: Self.classes)
        let cnb2 = try ComplementNB(classes: cnb.classes, featureLogProb: cnb.featureLogProb, classLogPrior: cnb.classLogPrior)
        #expect(try cnb2.predictLogProbabilities(Self.x) == cnb.predictLogProbabilities(Self.x))
    }

    @Test("multinomial naive Bayes on a hand-worked two-document example")
    func handWorkedNaiveBayes() throws {
        // Class a: counts (2, 0), class b: (0, 1) + (1, 1). alpha = 1.
        let x = SparseMatrix(rowCount: 3, columnCount: 2, rowOffsets: [0, 1, 2, 4], columns: [0, 1, 0, 1], values: [2, 1, 1, 1])
        let model = try MultinomialNB(training: x, labels: [0, 1, 1], classes: ["a", "b"], alpha: 1)
        #expect(model.featureLogProb.row(0) == [log(3.0) - log(4.0), log(1.0) - log(4.0)])
        #expect(model.featureLogProb.row(1) == [log(2.0) - log(5.0), log(3.0) - log(5.0)])
        #expect(model.classLogPrior == [log(1.0) - log(3.0), log(2.0) - log(3.0)])
        let uniform = try MultinomialNB(training: x, labels: [0, 1, 1], classes: ["a", "b"], fitPrior: false)
        #expect(uniform.classLogPrior == [-log(2.0), -log(2.0)])
    }

    @Test("a row whose scores overflow is an error naming the row, not NaN probabilities")
    func overflowingScores() throws {
        // Restored directly (a model file refuses such weights): 1e308 · 1 + 1e308 · 1 is infinite.
        let model = try LogisticRegression(classes: ["a", "b"], weights: DenseMatrix(rows: [[1e308, 1e308], [0, 0]]), intercepts: [0, 0])
        let x = SparseMatrix(rowCount: 2, columnCount: 2, rowOffsets: [0, 1, 3], columns: [0, 0, 1], values: [1, 1, 1])
        #expect(throws: ClassifierError.nonFiniteScores(row: 1)) { try model.predictLogProbabilities(x) }
        let firstRow = SparseMatrix(rowCount: 1, columnCount: 2, rowOffsets: [0, 1], columns: [0], values: [0.5])
        #expect(try model.predictLogProbabilities(firstRow).values.allSatisfy(\.isFinite))
    }

    @Test("argmax takes the lowest index on ties, like numpy")
    func ties() {
        let m = DenseMatrix(rows: [[1, 3, 3], [2, 2, 2], [-1, -5, 0]])
        #expect(m.rowArgmax() == [1, 0, 2])
    }

    @Test("typed errors for bad training input and options")
    func errors() throws {
        let x = Self.x, labels = Self.labels, classes = Self.classes
        #expect(throws: ClassifierError.optionOutOfRange(option: "C", value: 0, requirement: "> 0 and finite")) {
            try LogisticRegression(training: x, labels: labels, classes: classes, C: 0)
        }
        #expect(throws: ClassifierError.optionOutOfRange(option: "tol", value: -1, requirement: "> 0 and finite")) {
            try LogisticRegression(training: x, labels: labels, classes: classes, tol: -1)
        }
        #expect(throws: ClassifierError.optionOutOfRange(option: "maxIterations", value: 0, requirement: "≥ 1")) {
            try LogisticRegression(training: x, labels: labels, classes: classes, maxIterations: 0)
        }
        #expect(throws: ClassifierError.optionOutOfRange(option: "historySize", value: 0, requirement: "≥ 1")) {
            try LogisticRegression(training: x, labels: labels, classes: classes, historySize: 0)
        }
        #expect(throws: ClassifierError.optionOutOfRange(option: "alpha", value: -0.1, requirement: "≥ 0 and finite")) {
            try MultinomialNB(training: x, labels: labels, classes: classes, alpha: -0.1)
        }
        #expect(throws: ClassifierError.labelCountMismatch(labelCount: 299, rowCount: 300)) {
            try ComplementNB(training: x, labels: Array(labels.dropLast()), classes: classes)
        }
        #expect(throws: ClassifierError.labelOutOfRange(row: 0, label: 3, classCount: 3)) {
            try MultinomialNB(training: x, labels: [3] + labels.dropFirst(), classes: classes)
        }
        #expect(throws: ClassifierError.classWithoutExamples(classIndex: 3, className: "d")) {
            try LogisticRegression(training: x, labels: labels, classes: classes + ["d"])
        }
        #expect(throws: ClassifierError.tooFewClasses(count: 1, minimum: 2)) {
            try LogisticRegression(training: x, labels: [Int](repeating: 0, count: 300), classes: ["a"])
        }
        let empty = SparseMatrix(rowCount: 0, columnCount: 5, rowOffsets: [0], columns: [], values: [])
        #expect(throws: ClassifierError.emptyMatrix(rowCount: 0, columnCount: 5)) {
            try MultinomialNB(training: empty, labels: [], classes: classes)
        }
        let negative = SparseMatrix(rowCount: 1, columnCount: 2, rowOffsets: [0, 1], columns: [1], values: [-2])
        #expect(throws: ClassifierError.negativeFeatureValue(row: 0, column: 1, value: -2)) {
            try ComplementNB(training: negative, labels: [0], classes: ["a"])
        }
        let model = try MultinomialNB(training: x, labels: labels, classes: classes)
        let narrow = SparseMatrix(rowCount: 1, columnCount: 39, rowOffsets: [0, 0], columns: [], values: [])
        #expect(throws: ClassifierError.featureCountMismatch(expected: 40, actual: 39)) {
            try model.predict(narrow)
        }
        #expect(throws: ClassifierError.parameterShapeMismatch(parameter: "intercepts", expected: "3", actual: "2")) {
            try LogisticRegression(classes: classes, weights: DenseMatrix(rowCount: 3, columnCount: 4), intercepts: [0, 0])
        }
        // Descriptions name the offending entry.
        #expect(ClassifierError.labelOutOfRange(row: 7, label: 9, classCount: 4).description
                == "label 9 of row 7 is not an index into the 4 classes")
    }
}
