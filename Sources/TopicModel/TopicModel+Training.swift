import ArxivFeed
import Classifiers
import LinearAlgebra
import SentenceEncoder
import TextFeatures

extension TopicModel {
    /// The program name and version written into every model file.
    public static let createdBy = "ArxivDigest 0.1.0"

    /// Trains a model on `corpus` with `options`. Deterministic: the same corpus and options give
    /// the same model, bit for bit.
    /// - Parameters:
    ///   - classes: the class order; by default the corpus's (``LabelledCorpus/classes()``).
    ///   - progress: told of each step (vectorising, each loss evaluation of the fit); never prints.
    public static func train(
        _ corpus: LabelledCorpus, options: TrainingOptions, classes: [String]? = nil,
        encoder: SentenceEncoder? = nil,
        progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> TopicModel {
        var options = options
        if options.keywordVoteWeight == 0 { options.keywordRules = nil }
        try options.validate()
        try options.validateKeywordVotes()
        try corpus.requireClassSizes(minimum: 2)
        let classes = classes ?? corpus.classes()
        let documents = Features.documents(corpus.papers, options: options)
        progress?(.vectorizing(documents: documents.count))
        let (vectorizer, tfidf) = try TfidfVectorizer(options: options.vectorizer).fitTransform(documents)
        progress?(.vectorized(documents: documents.count, terms: vectorizer.terms.count))
        var embeddings: [[Float]]?
        if options.embedding != nil {
            guard let encoder else {
                throw EncoderRequirementError(description: "--embedding \(options.embedding!.kind.rawValue) needs the sentence encoder; \(SentenceEncoderError.installHint)")
            }
            embeddings = corpus.embeddings(from: encoder)
        }
        let x = Features.appendingEmbeddings(Features.appendingVotes(tfidf, papers: corpus.papers, options: options), embeddings, options: options)
        // Checked, not trapped on: each class is one column, and every label needs one.
        let classSet = Set(classes)
        guard classSet.count == classes.count else {
            throw TrainingError.invalidClassOrder(classes: classes, problem: "names a class twice")
        }
        if let missing = corpus.labels.first(where: { !classSet.contains($0) }) {
            throw TrainingError.invalidClassOrder(classes: classes, problem: "has no class \"\(missing)\", a label of the data")
        }
        let columnOfClass = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let y = corpus.labels.map { columnOfClass[$0]! }

        let classifier: TrainedClassifier
        var iterations: Int?, converged: Bool?
        switch options.classifier {
        case .logreg:
            let model = try LogisticRegression(
                training: x, labels: y, classes: classes, C: options.C, tol: options.tol,
                maxIterations: options.maxIterations, classWeight: options.classWeight,
                progress: progress.map { report in { evaluation, loss in report(.fitting(evaluation: evaluation, loss: loss)) } })
            iterations = model.fitSummary?.iterations
            converged = model.fitSummary?.converged
            classifier = .logisticRegression(model)
        case .nb:
            classifier = .multinomialNB(try MultinomialNB(training: x, labels: y, classes: classes, alpha: options.alpha))
        case .cnb:
            classifier = .complementNB(try ComplementNB(training: x, labels: y, classes: classes, alpha: options.alpha))
        }

        try classifier.requireFinite()

        var classCounts: [String: Int] = [:]
        for label in corpus.labels { classCounts[label, default: 0] += 1 }
        let metadata = TrainingMetadata(
            dataSHA256: corpus.contentHash,
            dataFiles: corpus.sources.map { $0.split(separator: "/").last.map(String.init) ?? $0 },
            documentCount: corpus.papers.count, classCounts: classCounts,
            iterations: iterations, converged: converged, crossValidation: nil, createdBy: createdBy)
        var model = TopicModel(options: options, vectorizer: vectorizer, classifier: classifier, metadata: metadata)
        if options.embedding != nil {
            model.encoder = encoder
            model.metadata.encoderWeightsSHA256 = encoder?.weightsSHA256
        }
        return model
    }
}

/// A step of ``TopicModel/train(_:options:classes:progress:)``, for progress displays.
public enum TrainingProgress: Sendable {
    case vectorizing(documents: Int)
    case vectorized(documents: Int, terms: Int)
    /// One evaluation of the logistic loss by L-BFGS (several per iteration when the line search backtracks).
    case fitting(evaluation: Int, loss: Double)
}
