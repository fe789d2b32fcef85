import ArxivFeed
import Classifiers
import Evaluation
import Foundation
import LinearAlgebra
import SentenceEncoder
import TextFeatures

/// A trained topic classifier for papers: the text it reads, the fitted TF-IDF vectoriser, the
/// classifier on top, and how it was trained. `predict` goes from papers to labels; the model file
/// (`TopicModel+File.swift`) holds all of it.
public struct TopicModel: Sendable {
    public let options: TrainingOptions
    public let vectorizer: FittedTfidfVectorizer
    public let classifier: TrainedClassifier
    public var metadata: TrainingMetadata
    /// The temperature that calibrates the probabilities (`TemperatureScaling`), fitted on
    /// out-of-fold scores when the model was trained with cross-validation; 1 means uncalibrated.
    public var temperature: Double
    /// The sentence encoder, for a model with an embedding block (`options.embedding`); nil otherwise.
    public internal(set) var encoder: SentenceEncoder?

    public init(
        options: TrainingOptions, vectorizer: FittedTfidfVectorizer, classifier: TrainedClassifier,
        metadata: TrainingMetadata, temperature: Double = 1
    ) {
        self.options = options
        self.vectorizer = vectorizer
        self.classifier = classifier
        self.metadata = metadata
        self.temperature = temperature
    }

    public var classes: [String] { classifier.base.classes }

    /// The feature rows of `papers`: TF-IDF of their text, then the keyword votes if the model uses them.
    public func features(_ papers: [Paper]) -> SparseMatrix {
        features(papers, embeddings: embeddings(papers))
    }

    /// The feature rows with the embeddings already computed (cross-validation reuses them).
    func features(_ papers: [Paper], embeddings: [[Float]]?) -> SparseMatrix {
        Features.appendingEmbeddings(Features.matrix(papers, vectorizer: vectorizer, options: options), embeddings, options: options)
    }

    /// Calibrated class probabilities, one row per paper, columns in `classes` order:
    /// the classifier's, softened (or sharpened) by the model's ``temperature``.
    public func predictProbabilities(_ papers: [Paper]) throws -> DenseMatrix {
        let logProbabilities = try classifier.base.predictLogProbabilities(features(papers))
        if temperature == 1 {
            var result = logProbabilities
            // Element by element, so splitting the work over the cores changes no bit.
            result.values.withUnsafeMutableBufferPointer { values in
                nonisolated(unsafe) let values = values
                Parallel.forEachChunk(of: values.count, minimumSize: 4096) { range in
                    for i in range { values[i] = exp(values[i]) }
                }
            }
            return result
        }
        return TemperatureScaling.probabilities(scores: logProbabilities, temperature: temperature)
    }

    /// The classifier's own probabilities, before calibration (what ``temperature`` = 1 gives).
    public func predictUncalibratedLogProbabilities(_ papers: [Paper]) throws -> DenseMatrix {
        try classifier.base.predictLogProbabilities(features(papers))
    }

    /// The most probable label of each paper.
    public func predictLabels(_ papers: [Paper]) throws -> [String] {
        try classifier.base.predict(features(papers)).map { classes[$0] }
    }

    /// Each paper's probability for every class, keyed by class name: ``predictProbabilities(_:)``
    /// for callers that would rather not index a matrix.
    public func probabilities(_ papers: [Paper]) throws -> [[String: Double]] {
        let matrix = try predictProbabilities(papers)
        return papers.indices.map { row in
            Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, matrix[row, $0]) })
        }
    }
}

/// The classifier inside a topic model, one case per kind, so the model file knows what to store.
public enum TrainedClassifier: Sendable {
    case logisticRegression(LogisticRegression)
    case multinomialNB(MultinomialNB)
    case complementNB(ComplementNB)

    public var base: any Classifier {
        switch self {
        case .logisticRegression(let c): c
        case .multinomialNB(let c): c
        case .complementNB(let c): c
        }
    }

    /// Per class and feature, how much the feature adds to the class's score (k × d): logistic
    /// regression's weights, naive Bayes' log-probabilities.
    var featureScores: DenseMatrix {
        switch self {
        case .logisticRegression(let c): c.weights
        case .multinomialNB(let c): c.featureLogProb
        case .complementNB(let c): c.featureLogProb
        }
    }
}

/// How a model was made, stored in its file: the data, and the cross-validated scores.
public struct TrainingMetadata: Codable, Equatable, Sendable {
    /// SHA-256 of the training records' labels and texts (`LabelledCorpus.contentHash`).
    public var dataSHA256: String
    /// The training files' names (without folders, so the model does not depend on where they were).
    public var dataFiles: [String]
    public var documentCount: Int
    /// Examples per class.
    public var classCounts: [String: Int]
    /// Logistic regression: L-BFGS iterations used, and whether it converged.
    public var iterations: Int?
    public var converged: Bool?
    /// Scores from cross-validation on the training data, when it was run.
    public var crossValidation: CrossValidationSummary?
    /// The program that wrote the model.
    public var createdBy: String
    /// For a model with an embedding block: the SHA-256 of the encoder weight file it was trained with.
    public var encoderWeightsSHA256: String? = nil

    enum CodingKeys: String, CodingKey {
        case dataSHA256 = "data_sha256"
        case dataFiles = "data_files"
        case documentCount = "document_count"
        case classCounts = "class_counts"
        case iterations, converged
        case crossValidation = "cross_validation"
        case createdBy = "created_by"
        case encoderWeightsSHA256 = "encoder_weights_sha256"
    }
}

/// Cross-validated scores of a model's options, beside the keyword rules' on the same data.
public struct CrossValidationSummary: Codable, Equatable, Sendable {
    public var folds: Int
    public var seed: UInt64
    public var accuracy: Double
    public var macroF1: Double
    public var perClassF1: [String: Double]
    public var keywordsAccuracy: Double?
    public var keywordsMacroF1: Double?
    /// The temperature fitted on the out-of-fold scores, and the expected calibration error
    /// (10 bins) of those scores before and after it. Absent in models trained before calibration.
    public var temperature: Double?
    public var expectedCalibrationError: Double?
    public var calibratedExpectedCalibrationError: Double?

    enum CodingKeys: String, CodingKey {
        case folds, seed, accuracy
        case macroF1 = "macro_f1"
        case perClassF1 = "per_class_f1"
        case keywordsAccuracy = "keywords_accuracy"
        case keywordsMacroF1 = "keywords_macro_f1"
        case temperature
        case expectedCalibrationError = "ece"
        case calibratedExpectedCalibrationError = "calibrated_ece"
    }
}
