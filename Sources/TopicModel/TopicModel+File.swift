import Classifiers
import Evaluation
import Foundation
import LinearAlgebra
import ModelStore
import TextFeatures

/// How a topic model is laid out in a ModelStore container (Models/README.md, "Topic model"):
/// a JSON header with the options, classes and training metadata, and sections
/// `vocabulary` (terms in column order), `idf`, and the classifier's parameters:
/// `weights` (k × d, row-major) and `intercepts` (k) for logistic regression,
/// `feature_log_prob` (k × d) and `class_log_prior` (k) for naive Bayes; and, only in a calibrated
/// model, `temperature` (one value; a file without it is uncalibrated, T = 1, so older files read as before).
extension TopicModel {
    /// The header's `kind`: what this container holds.
    public static let fileKind = "arxivdigest.topic-model"
    /// The newest layout this build reads and writes; bumped when the meaning of the header or
    /// sections changes. Layout 2 added `options.keywordRules` (the rules behind keyword votes);
    /// a model without them is still written as layout 1, byte for byte as before.
    public static let layoutVersion = 2

    struct Header: Codable {
        var kind: String
        var layoutVersion: Int
        var classifier: TrainingOptions.ClassifierKind
        var classes: [String]
        var featureCount: Int
        var options: TrainingOptions
        var training: TrainingMetadata

        enum CodingKeys: String, CodingKey {
            case kind
            case layoutVersion = "layout_version"
            case classifier, classes
            case featureCount = "feature_count"
            case options, training
        }
    }

    /// The model as a container, ready to write.
    public func modelFile(fileName: String = "model") throws -> ModelFile {
        let scores = classifier.featureScores
        let header = Header(
            kind: Self.fileKind, layoutVersion: options.keywordRules == nil ? 1 : Self.layoutVersion, classifier: options.classifier,
            classes: classes, featureCount: scores.columnCount, options: options, training: metadata)
        var file = try ModelFile(header: header, fileName: fileName)
        try file.add("vocabulary", .strings(vectorizer.terms))
        if let idf = vectorizer.idf { try file.add("idf", .float64(idf)) }
        if temperature != 1 { try file.add("temperature", .float64([temperature])) }
        switch classifier {
        case .logisticRegression(let model):
            try file.add("weights", .float64(model.weights.values))
            try file.add("intercepts", .float64(model.intercepts))
        case .multinomialNB(let model):
            try file.add("feature_log_prob", .float64(model.featureLogProb.values))
            try file.add("class_log_prior", .float64(model.classLogPrior))
        case .complementNB(let model):
            try file.add("feature_log_prob", .float64(model.featureLogProb.values))
            try file.add("class_log_prior", .float64(model.classLogPrior))
        }
        return file
    }

    /// Writes the model atomically: the file at `url` is replaced only once the new one is complete.
    public func write(to url: URL) throws {
        try modelFile(fileName: url.lastPathComponent).write(to: url)
    }

    /// The model's file bytes (what `write(to:)` stores).
    public func encoded() throws -> Data { try modelFile().encoded() }

    /// Reads a model file, checking its checksum, kind, layout version and every dimension.
    /// - Parameter keywordRulesForOlderFiles: the rules to use for a model trained with keyword votes
    ///   by a build that did not store them (layout 1); nil to refuse such a model.
    /// - Parameter encoderWeights: for a model with an embedding block, the encoder weight file
    ///   (default: `EncoderWeightsLocation`); it must be the one the model was trained with.
    public static func read(from url: URL, keywordRulesForOlderFiles: KeywordRules? = nil, encoderWeights: URL? = nil) throws -> TopicModel {
        Tokenizer.prepareTablesInBackground()  // the model is loaded to tokenize next
        var model = try load(ModelFile.read(from: url), keywordRulesForOlderFiles: keywordRulesForOlderFiles)
        model.encoder = try loadEncoder(for: model.options, metadata: model.metadata, modelFile: url.lastPathComponent, weights: encoderWeights)
        return model
    }

    /// Decodes model-file bytes; `fileName` labels errors.
    public static func decode(_ data: Data, fileName: String = "model", keywordRulesForOlderFiles: KeywordRules? = nil, encoderWeights: URL? = nil) throws -> TopicModel {
        var model = try load(ModelFile.decode(data, fileName: fileName), keywordRulesForOlderFiles: keywordRulesForOlderFiles)
        model.encoder = try loadEncoder(for: model.options, metadata: model.metadata, modelFile: fileName, weights: encoderWeights)
        return model
    }

    static func load(_ file: ModelFile, keywordRulesForOlderFiles: KeywordRules? = nil) throws -> TopicModel {
        let name = file.fileName
        // Read the kind alone first, so a container of another kind gets a message that says so.
        struct KindOnly: Decodable { var kind: String? }
        let kind = try file.header(as: KindOnly.self).kind
        guard kind == fileKind else {
            throw TopicModelFileError(file: name, detail: "holds \(kind.map { "a \"\($0)\"" } ?? "something without a kind"), not a topic model (\(fileKind))")
        }
        var header = try file.header(as: Header.self)
        guard header.layoutVersion <= layoutVersion else {
            throw TopicModelFileError(file: name, detail: "topic-model layout \(header.layoutVersion) was written by a newer ArxivDigest; this build reads up to \(layoutVersion)")
        }
        guard header.layoutVersion >= 1 else {
            throw TopicModelFileError(file: name, detail: "header field layout_version is \(header.layoutVersion); layouts start at 1")
        }
        // The header's options decide how a paper becomes a row; out of range, they trap or exhaust
        // memory when the first paper is read (a title repeat of -1 or 10^9), so they are checked here.
        do { try header.options.validateFeatureOptions(naming: .modelFile) } catch let error as TrainingError {
            switch error {
            case let .optionOutOfRange(field, value, requirement):
                throw TopicModelFileError(file: name, detail: "header field \(field) is \(value); it must be \(requirement)")
            case let .vectorizer(reason):
                throw TopicModelFileError(file: name, detail: "header field options.vectorizer: \(reason)")
            default: throw error
            }
        }
        if header.options.keywordVoteWeight > 0 && header.options.keywordRules == nil {
            // Only layout 1 predates stored rules; a later layout without them has lost them.
            guard header.layoutVersion < 2 else {
                throw TopicModelFileError(file: name, detail: "header field options.keywordRules is missing; layout \(header.layoutVersion) stores the rules of a model trained with keyword votes")
            }
            guard let rules = keywordRulesForOlderFiles, !rules.isEmpty else {
                throw TopicModelFileError(file: name, detail: "was trained with keyword votes by an older build that did not store its keyword rules; give the profile it was trained with, or train it again")
            }
            header.options.keywordRules = rules
        }
        let k = header.classes.count, d = header.featureCount
        guard k >= 2, Set(header.classes).count == k else {
            throw TopicModelFileError(file: name, detail: "needs at least two distinct classes, has \(header.classes)")
        }
        // An empty name is no label: classify would print "label": "" and a digest has no such section.
        if let empty = header.classes.firstIndex(of: "") {
            throw TopicModelFileError(file: name, detail: "header field classes[\(empty)] is an empty class name")
        }
        let terms = try file.strings("vocabulary")
        let expectedColumns = terms.count + Features.voteColumnCount(header.options) + Features.embeddingColumnCount(header.options)
        guard d == expectedColumns else {
            throw TopicModelFileError(file: name, detail: "feature_count is \(d) but the vocabulary and options give \(expectedColumns) columns")
        }
        let idf = header.options.vectorizer.useIDF ? try file.doubles("idf", count: terms.count) : nil
        // The classifier before the vectoriser: its packed weights (37 MB for 70 classes) then take the heap
        // block the file's bytes have just freed, before the vocabulary's table is carved out of it. Built the
        // other way round they needed fresh pages: a one-paper classify with a 70-class model took 29,000 page
        // faults and 0.12 s, now 21,000 and 0.09 s.
        let classifier: TrainedClassifier
        do {
            switch header.classifier {
            case .logreg:
                let weights = DenseMatrix(rowCount: k, columnCount: d, values: try bounded(file.doubles("weights", count: k * d), "weights", name))
                classifier = .logisticRegression(try LogisticRegression(
                    classes: header.classes, weights: weights, intercepts: try bounded(file.doubles("intercepts", count: k), "intercepts", name)))
            case .nb, .cnb:
                let logProb = DenseMatrix(rowCount: k, columnCount: d, values: try bounded(file.doubles("feature_log_prob", count: k * d), "feature_log_prob", name))
                let prior = try bounded(file.doubles("class_log_prior", count: k), "class_log_prior", name)
                classifier = header.classifier == .nb
                    ? .multinomialNB(try MultinomialNB(classes: header.classes, featureLogProb: logProb, classLogPrior: prior))
                    : .complementNB(try ComplementNB(classes: header.classes, featureLogProb: logProb, classLogPrior: prior))
            }
        } catch let error as ClassifierError {
            throw TopicModelFileError(file: name, detail: "classifier: \(error)")
        }
        let vectorizer: FittedTfidfVectorizer
        do { vectorizer = try FittedTfidfVectorizer(options: header.options.vectorizer, terms: terms, idf: idf) } catch {
            throw TopicModelFileError(file: name, detail: "vectoriser: \(error)")
        }
        var temperature = 1.0
        if file.section("temperature") != nil {
            let stored = try file.doubles("temperature", count: 1)[0]
            // Training fits T within TemperatureScaling's range; a value outside it is a damaged file (a huge T
            // would give every paper equal probabilities).
            let range = TemperatureScaling.temperatureRange
            guard stored.isFinite, range.contains(stored) else {
                throw TopicModelFileError(file: name, detail: "section temperature holds \(stored), expected a number in \(range) (the range calibration fits)")
            }
            temperature = stored
        }
        return TopicModel(options: header.options, vectorizer: vectorizer, classifier: classifier, metadata: header.training, temperature: temperature)
    }

    /// `values`, if every one is finite and within ``ParameterLimit`` (which says why huge ones are refused).
    private static func bounded(_ values: [Double], _ section: String, _ file: String) throws -> [Double] {
        if let bad = ParameterLimit.firstViolation(in: values) {
            throw TopicModelFileError(file: file, detail: "section \(section) holds \(values[bad]) at index \(bad); a model's parameters are finite and within ±\(ParameterLimit.magnitudeText)")
        }
        return values
    }
}

/// A model file that is a sound container but not a usable topic model.
public struct TopicModelFileError: Error, CustomStringConvertible {
    public let file: String
    public let detail: String
    public var description: String { "\(file): \(detail)" }
}
