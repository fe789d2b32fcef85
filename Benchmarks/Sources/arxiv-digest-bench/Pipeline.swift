import Classifiers
import TextFeatures

/// ArxivDigest's text classifier as the product trains it: TF-IDF (sklearn's defaults plus
/// sublinear tf and min_df = 2) and one classifier.
struct Pipeline {
    let vectorizer: FittedTfidfVectorizer
    let classifier: any Classifier
    /// How long the classifier's fit took, in seconds (the median when it was timed several times).
    let classifierSeconds: Double
    /// Extra facts about the fit for the report (setting, iterations, convergence).
    let fitFacts: [String: Any]

    static func tfidfOptions(ngramMax: Int) -> TfidfOptions {
        TfidfOptions(ngramRange: 1...ngramMax, minDF: .count(2), sublinearTF: true)
    }

    /// Fits the vectoriser on `split` once, then one classifier per setting on its rows (so model
    /// selection does not refit the vectoriser per candidate). `afterVectorizing` gets the
    /// vectoriser's seconds and feature count before any classifier is fitted. Each classifier is fitted
    /// `fitRepeats` times from scratch; its seconds are the median and every timing is in its facts.
    static func train(
        _ split: Split, model: BenchOptions.Model, settings: [Double], ngramMax: Int, maxIterations: Int, lbfgsHistory: Int = 10,
        lbfgsPrecision: LBFGS.HistoryPrecision = .double, preconditioned: Bool = false, fitRepeats: Int = 1,
        afterVectorizing: (Double, Int) -> Void = { _, _ in }
    ) throws -> [Pipeline] {
        let (vectorizerSeconds, fitted) = try Measurement.time {
            try TfidfVectorizer(options: Pipeline.tfidfOptions(ngramMax: ngramMax)).fitTransform(split.texts)
        }
        afterVectorizing(vectorizerSeconds, fitted.vectorizer.featureCount)
        // Classes in sorted order, as scikit-learn's `classes_`.
        let classes = Array(Set(split.labels)).sorted()
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let labels = split.labels.map { index[$0]! }
        let x = fitted.matrix
        return try settings.map { setting in
            let (seconds, timings, classifier) = try Measurement.median(repeats: fitRepeats) { () throws -> any Classifier in
                switch model {
                case .logreg:
                    try LogisticRegression(training: x, labels: labels, classes: classes, C: setting,
                                           maxIterations: maxIterations, historySize: lbfgsHistory,
                                           historyPrecision: lbfgsPrecision, preconditioned: preconditioned)
                case .mnb:
                    try MultinomialNB(training: x, labels: labels, classes: classes, alpha: setting)
                case .cnb:
                    try ComplementNB(training: x, labels: labels, classes: classes, alpha: setting)
                }
            }
            var facts: [String: Any] = ["setting": setting, "features": fitted.vectorizer.featureCount]
            if fitRepeats > 1 { facts["repeat_seconds"] = timings }
            if let summary = (classifier as? LogisticRegression)?.fitSummary {
                facts["iterations"] = summary.iterations
                facts["evaluations"] = summary.evaluations
                facts["converged"] = summary.converged
                facts["loss"] = summary.loss
            }
            return Pipeline(vectorizer: fitted.vectorizer, classifier: classifier, classifierSeconds: seconds,
                            fitFacts: facts)
        }
    }

    /// Raw texts to labels: tokenise, vectorise, predict.
    func predict(_ texts: [String]) throws -> [String] {
        let classes = classifier.classes
        return try classifier.predict(vectorizer.transform(texts)).map { classes[$0] }
    }

    /// Transforms only (the vectoriser's throughput); returns the number of stored entries.
    func transform(_ texts: [String]) -> Int {
        vectorizer.transform(texts).nonZeroCount
    }
}
