import Foundation
@testable import SentenceEncoder
import Testing
import TestSupport
@testable import TopicModel

/// The embedding block inside a topic model: columns, storage, and the weight-file check.
@Suite struct EmbeddingFeaturesTests {
    static let samples = SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl")
    static let encoder = Result { try SentenceEncoder.load(from: EncoderWeightsLocation.resolve(option: nil)) }

    static func trained() throws -> (TopicModel, LabelledCorpus) {
        let corpus = try LabelledCorpus.load(files: [samples], allowedLabels: nil)
        var options = TrainingOptions()
        options.embedding = EmbeddingOptions(kind: .minilm, weight: 0.5)
        return (try TopicModel.train(corpus, options: options, encoder: try encoder.get()), corpus)
    }

    @Test func theBlockIsTheScaledUnitVectorAfterTheTermColumns() throws {
        let (model, corpus) = try Self.trained()
        let x = model.features(Array(corpus.papers.prefix(2)))
        let terms = model.vectorizer.featureCount
        #expect(x.columnCount == terms + 384)
        let vector = try Self.encoder.get().encode([corpus.papers[0].classifierText])[0]
        let block = x.entryRange(ofRow: 0).filter { Int(x.columns[$0]) >= terms }.map { x.values[$0] }
        #expect(block == vector.map { 0.5 * Double($0) })
        #expect(model.metadata.encoderWeightsSHA256 == (try Self.encoder.get().weightsSHA256))
    }

    @Test func aModelRefusesOtherWeightsAndNamesBoth() throws {
        var (model, corpus) = try Self.trained()
        let folder = try SharedData.temporaryDirectory()
        let good = folder.appendingPathComponent("good.model")
        try model.write(to: good)
        let reloaded = try TopicModel.read(from: good)
        #expect(try reloaded.predictLabels(corpus.papers) == model.predictLabels(corpus.papers))

        model.metadata.encoderWeightsSHA256 = String(repeating: "0", count: 64)
        let other = folder.appendingPathComponent("other.model")
        try model.write(to: other)
        #expect { try TopicModel.read(from: other) } throws: { error in
            let text = "\(error)"
            return text.contains("other.model was trained with encoder weights SHA-256 0000") && text.contains("--encoder-weights")
        }
    }

    @Test func trainingWithoutTheEncoderSaysHowToGetIt() throws {
        let corpus = try LabelledCorpus.load(files: [Self.samples], allowedLabels: nil)
        var options = TrainingOptions()
        options.embedding = EmbeddingOptions()
        #expect { try TopicModel.train(corpus, options: options) } throws: { "\($0)".contains("bash .ci/setup") }
        options.classifier = .cnb
        #expect(throws: TrainingError.self) { try options.validate() }
    }

    @Test func tfidfOnlyOptionsStayOutOfTheHeader() throws {
        let json = try JSONEncoder().encode(TrainingOptions())
        #expect(!String(decoding: json, as: UTF8.self).contains("embedding"))
    }

    @Test func anEncoderOfAnotherWidthIsRefusedByName() throws {
        // A well-formed encoder 8 wide (one layer of zeros): its vectors could not fill the block's 384 columns.
        var configuration = EncoderConfiguration.miniLML6
        (configuration.layers, configuration.hiddenSize, configuration.heads, configuration.intermediateSize) = (1, 8, 2, 16)
        configuration.vocabularySize = 5
        let weights = try EncoderWeights(configuration: configuration, vocabulary: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a"]) { _, shape in
            [Float](repeating: 0, count: shape.reduce(1, *))
        }
        let narrow = try SentenceEncoder(weights: weights, weightsSHA256: String(repeating: "0", count: 64))
        let file = URL(fileURLWithPath: "/tmp/narrow.weights")
        #expect(throws: EncoderRequirementError.self) { try EmbeddingOptions.Kind.minilm.check(narrow, weights: file) }
        do { try EmbeddingOptions.Kind.minilm.check(narrow, weights: file) } catch {
            #expect("\(error)".contains("/tmp/narrow.weights gives 8-value embeddings, but --embedding minilm needs 384"), "\(error)")
        }
        try EmbeddingOptions.Kind.minilm.check(try Self.encoder.get(), weights: file)
    }
}
