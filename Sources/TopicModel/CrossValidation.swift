import Classifiers
import Evaluation
import Foundation
import LinearAlgebra
import SentenceEncoder

/// Stratified k-fold cross-validation of training options: each fold trains a model on the rest
/// and labels the held-out part, so every record gets exactly one out-of-fold prediction.
public enum CrossValidation {
    /// The out-of-fold predictions and their scores, beside the keyword rules' on the same records
    /// when there are rules to compare with.
    public struct Result: Sendable {
        public var options: TrainingOptions
        public var folds: Int
        public var seed: UInt64
        /// `predictions[i]` is record i's label from the model that did not see it.
        public var predictions: [String]
        public var metrics: ClassificationMetrics
        /// The keyword rules' scores, or nil when no rules were given or they predict labels the data lacks.
        public var keywordMetrics: ClassificationMetrics?
        /// Row i: record i's class log-probabilities (columns in `classes` order) from the model
        /// that did not see it; what the temperature is fitted on.
        public var outOfFoldScores: DenseMatrix
        /// The class order of `outOfFoldScores`.
        public var classes: [String]
        /// The temperature that minimises the log-loss of the out-of-fold scores.
        public var temperature: Double
        /// Reliability of the out-of-fold probabilities before and after calibration. "After" is
        /// measured honestly: each fold's probabilities use a temperature fitted on the other
        /// folds' scores only, so neither the model nor its calibration saw the papers judged.
        public var uncalibratedReliability: ReliabilityTable
        public var calibratedReliability: ReliabilityTable

        public var summary: CrossValidationSummary {
            CrossValidationSummary(
                folds: folds, seed: seed, accuracy: metrics.accuracy, macroF1: metrics.macroF1,
                perClassF1: Dictionary(uniqueKeysWithValues: metrics.perClass.map { ($0.label, $0.f1) }),
                keywordsAccuracy: keywordMetrics?.accuracy, keywordsMacroF1: keywordMetrics?.macroF1,
                temperature: temperature,
                expectedCalibrationError: uncalibratedReliability.expectedCalibrationError,
                calibratedExpectedCalibrationError: calibratedReliability.expectedCalibrationError)
        }
    }

    /// Runs `folds`-fold stratified cross-validation, the folds drawn with `options.seed`.
    /// - Parameters:
    ///   - keywordBaseline: rules scored on the same records for comparison; left out (nil metrics)
    ///     when nil, empty, or able to predict a label that is none of the corpus's classes.
    ///   - progress: called after each fold with (folds done, folds in all).
    public static func run(
        _ corpus: LabelledCorpus, options: TrainingOptions, folds: Int, keywordBaseline: KeywordRules? = nil,
        encoder: SentenceEncoder? = nil, progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> Result {
        var corpus = corpus
        // Embed every paper once; each fold takes its rows from these vectors.
        if options.embedding != nil, let encoder, corpus.embeddingsSHA256 != encoder.weightsSHA256 { try corpus.embed(with: encoder) }
        try options.validate()
        try corpus.requireClassSizes(minimum: minimumClassSize(folds: folds),
                                     purpose: "for \(folds)-fold cross-validation, so that every fold trains on two (use fewer folds or label more)")
        let classes = corpus.classes()
        // Records with the same text stay in one fold, so a model is never judged on a twin of its training data.
        let splits = try StratifiedKFold.split(labels: corpus.labels, groups: corpus.groupKeys, folds: folds, seed: options.seed)
        var predictions = [String](repeating: "", count: corpus.papers.count)
        var scores = DenseMatrix(rowCount: corpus.papers.count, columnCount: classes.count)
        for (number, fold) in splits.enumerated() {
            // Groups of identical texts can still hold out more of a class than the stratified share.
            try requireTrainableFold(corpus, fold: fold, number: number + 1, of: folds)
        }
        for (done, fold) in splits.enumerated() {
            let model = try TopicModel.train(corpus.subset(fold.train), options: options, classes: classes, encoder: encoder)
            let held = corpus.subset(fold.test)
            let heldEmbeddings = options.embedding == nil ? nil : held.embeddings
            let heldScores = try model.classifier.base.predictLogProbabilities(model.features(held.papers, embeddings: heldEmbeddings))
            for (row, (index, column)) in zip(fold.test, heldScores.rowArgmax()).enumerated() {
                predictions[index] = classes[column]
                for c in 0..<classes.count { scores[index, c] = heldScores[row, c] }
            }
            progress(done + 1, splits.count)
        }
        let columnOfClass = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let truth = corpus.labels.map { columnOfClass[$0]! }
        let temperature = TemperatureScaling.fit(scores: scores, truth: truth)
        var uncalibrated = scores
        for i in uncalibrated.values.indices { uncalibrated.values[i] = exp(uncalibrated.values[i]) }
        var keywordMetrics: ClassificationMetrics?
        if let rules = keywordBaseline, rules.onlyPredicts(among: classes) {
            let keywordLabels = corpus.papers.map { rules.classify(title: $0.title, abstract: $0.abstract) }
            keywordMetrics = try ClassificationMetrics(truth: corpus.labels, predicted: keywordLabels, labelOrder: classes)
        }
        return Result(
            options: options, folds: folds, seed: options.seed, predictions: predictions,
            metrics: try ClassificationMetrics(truth: corpus.labels, predicted: predictions, labelOrder: classes),
            keywordMetrics: keywordMetrics,
            outOfFoldScores: scores, classes: classes, temperature: temperature,
            uncalibratedReliability: ReliabilityTable(probabilities: uncalibrated, truth: truth),
            calibratedReliability: ReliabilityTable(
                probabilities: crossFittedProbabilities(scores: scores, truth: truth, folds: splits), truth: truth))
    }
}

extension CrossValidation {
    /// The fewest papers a class needs for `folds`-fold cross-validation: each fold's training part must keep
    /// two (``TopicModel/train`` needs two of every class), and a stratified split holds out up to
    /// ⌈n / folds⌉ of a class's n papers. That is `folds` papers, except for 2 folds: 4 (3 would leave 1).
    public static func minimumClassSize(folds: Int) -> Int {
        var n = max(folds, 2)
        while n - (n + folds - 1) / folds < 2 { n += 1 }
        return n
    }

    /// Throws when `fold`'s training part keeps fewer than two papers of a class, naming the fold and the class.
    static func requireTrainableFold(_ corpus: LabelledCorpus, fold: Fold, number: Int, of folds: Int) throws {
        var trainCounts: [String: Int] = [:]
        for index in fold.train { trainCounts[corpus.labels[index], default: 0] += 1 }
        for label in corpus.classes() where trainCounts[label, default: 0] < 2 {
            let total = corpus.labels.filter { $0 == label }.count
            throw TrainingError.foldClassTooSmall(label: label, fold: number, folds: folds, kept: trainCounts[label, default: 0], total: total)
        }
    }

    /// Each fold's rows scaled by the temperature fitted on the other folds' rows.
    static func crossFittedProbabilities(scores: DenseMatrix, truth: [Int], folds: [Fold]) -> DenseMatrix {
        var result = scores
        let k = scores.columnCount
        for fold in folds {
            let others = fold.train
            let fitted = TemperatureScaling.fit(
                scores: DenseMatrix(rowCount: others.count, columnCount: k, values: others.flatMap { scores.row($0) }),
                truth: others.map { truth[$0] })
            let held = TemperatureScaling.probabilities(
                scores: DenseMatrix(rowCount: fold.test.count, columnCount: k, values: fold.test.flatMap { scores.row($0) }),
                temperature: fitted)
            for (row, index) in fold.test.enumerated() {
                for c in 0..<k { result[index, c] = held[row, c] }
            }
        }
        return result
    }
}

extension TopicModel {
    /// Takes what cross-validation learnt about these options: its scores (stored in the header)
    /// and its temperature (the model's calibration).
    public mutating func adopt(_ crossValidation: CrossValidation.Result) {
        metadata.crossValidation = crossValidation.summary
        temperature = crossValidation.temperature
    }
}

/// A grid search: cross-validates every combination of the given values and keeps the best.
public enum GridSearch {
    /// The option sets to try: `base` with each regularisation value (C for logistic regression,
    /// alpha for naive Bayes) and each n-gram range.
    public static func candidates(
        base: TrainingOptions, regularisation: [Double], ngramRanges: [ClosedRange<Int>]
    ) -> [TrainingOptions] {
        var result: [TrainingOptions] = []
        for ngrams in ngramRanges {
            for value in regularisation {
                var options = base
                options.vectorizer.ngramRange = ngrams
                if options.classifier == .logreg { options.C = value } else { options.alpha = value }
                result.append(options)
            }
        }
        return result
    }

    /// Cross-validates each candidate; the best is the highest macro-F1, the earliest on ties.
    public static func run(
        _ corpus: LabelledCorpus, candidates: [TrainingOptions], folds: Int, keywordBaseline: KeywordRules? = nil,
        encoder: SentenceEncoder? = nil, progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> (results: [CrossValidation.Result], best: Int) {
        var corpus = corpus
        if candidates.contains(where: { $0.embedding != nil }), let encoder, corpus.embeddingsSHA256 != encoder.weightsSHA256 {
            try corpus.embed(with: encoder)
        }
        var results: [CrossValidation.Result] = []
        let total = candidates.count * folds
        for options in candidates {
            let done = results.count * folds
            results.append(try CrossValidation.run(corpus, options: options, folds: folds, keywordBaseline: keywordBaseline, encoder: encoder) { fold, _ in
                progress(done + fold, total)
            })
        }
        var best = 0
        for (i, result) in results.enumerated() where result.metrics.macroF1 > results[best].metrics.macroF1 { best = i }
        return (results, best)
    }
}
