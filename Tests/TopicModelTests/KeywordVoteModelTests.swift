import Classifiers
import Foundation
import ModelStore
import Testing
import TestSupport
@testable import TopicModel

/// A model trained with keyword votes carries the rules it voted with, so it needs no profile to be used.
@Suite("Keyword votes in model files")
struct KeywordVoteModelTests {
    static let rules = KeywordRules(topics: [("hardware", ["chip", "device", "memristor"]), ("algorithms", ["spiking", "plasticity"])],
                                    fallback: "general")

    static func corpus() throws -> LabelledCorpus {
        try LabelledCorpus.load(files: [SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl")], allowedLabels: nil)
    }

    static func trained(votes: Double) throws -> TopicModel {
        var options = TrainingOptions()
        options.vectorizer.minDF = .count(1)
        options.keywordVoteWeight = votes
        options.keywordRules = rules
        return try TopicModel.train(corpus(), options: options)
    }

    @Test("the rules are stored (layout 2), read back, and name the vote columns")
    func stored() throws {
        let model = try Self.trained(votes: 1)
        let file = try model.modelFile()
        let header = try #require(try JSONSerialization.jsonObject(with: file.headerJSON) as? [String: Any])
        #expect(header["layout_version"] as? Int == 2)
        #expect(model.vectorizer.featureCount + 2 == (header["feature_count"] as? Int))
        let reloaded = try TopicModel.decode(try model.encoded())
        #expect(reloaded.options.keywordRules == Self.rules)
        let papers = try Self.corpus().papers
        #expect(try reloaded.predictProbabilities(papers) == model.predictProbabilities(papers))
        let names = reloaded.explain(papers, labels: try reloaded.predictLabels(papers), top: 50).flatMap { $0.map(\.term) }
        #expect(names.contains("<keyword votes: hardware>"))
    }

    @Test("without votes no rules are kept, and the file is layout 1 as before")
    func noVotesNoRules() throws {
        let model = try Self.trained(votes: 0)
        #expect(model.options.keywordRules == nil)
        let header = try #require(try JSONSerialization.jsonObject(with: model.modelFile().headerJSON) as? [String: Any])
        #expect(header["layout_version"] as? Int == 1)
        #expect(!String(decoding: try model.modelFile().headerJSON, as: UTF8.self).contains("keywordRules"))
    }

    @Test("votes without rules are refused before training")
    func votesNeedRules() throws {
        var options = TrainingOptions()
        options.keywordVoteWeight = 0.5
        #expect { try TopicModel.train(Self.corpus(), options: options) } throws: { "\($0)".contains("--keyword-votes") }
    }

    @Test("an older file with votes but no stored rules needs the rules from the caller")
    func olderFile() throws {
        let model = try Self.trained(votes: 1)
        let good = try model.modelFile()
        var header = try #require(try JSONSerialization.jsonObject(with: good.headerJSON) as? [String: Any])
        var options = try #require(header["options"] as? [String: Any])
        options["keywordRules"] = nil
        header["options"] = options
        header["layout_version"] = 1
        var older = try ModelFile(headerJSON: JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        for name in good.sectionNames { try older.add(name, good.section(name)!) }
        let bytes = older.encoded()
        #expect { try TopicModel.decode(bytes, fileName: "old.model") } throws: { error in
            "\(error)".contains("old.model") && "\(error)".contains("keyword rules")
        }
        let reloaded = try TopicModel.decode(bytes, keywordRulesForOlderFiles: Self.rules)
        let papers = try Self.corpus().papers
        #expect(try reloaded.predictProbabilities(papers) == model.predictProbabilities(papers))
    }
}
