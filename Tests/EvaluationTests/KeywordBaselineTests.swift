import ArxivFeed
import Classifiers
import DigestProfile
import Evaluation
import Foundation
import Testing
import TestSupport

/// The original keyword rules as a baseline on the labelled training set.
@Suite("Keyword baseline on topics/train.jsonl")
struct KeywordBaselineTests {
    static func trainingPapers() throws -> [Paper] {
        let text = String(decoding: try SharedData.data("datasets/topics/train.jsonl"), as: UTF8.self)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Paper.self, from: Data($0.utf8)) }
    }

    /// The shipped profile's keyword rules (the original script's).
    static func shippedRules() throws -> KeywordRules {
        let profile = try DigestProfile.load(from: SharedData.packageRoot.appendingPathComponent("Models/open-neuromorphic.toml"))
        return KeywordRules(topics: profile.sections.map { ($0.label, $0.keywords) }, fallback: profile.fallback)
    }

    @Test("Swift keyword labels equal Python's str.lower/in rules; metrics equal scikit-learn's")
    func baseline() throws {
        let papers = try Self.trainingPapers()
        #expect(papers.count == 1571)
        let classifier = try Self.shippedRules()
        let predicted = papers.map { classifier.classify(title: $0.title, abstract: $0.abstract) }
        let python = try SklearnReference.keywordLabels(jsonl: SharedData.url("datasets/topics/train.jsonl"))
        #expect(predicted == python)

        let truth = papers.map { $0.label ?? "" }
        let metrics = try ClassificationMetrics(truth: truth, predicted: predicted, labelOrder: classifier.labels)
        #expect(metrics.labels == classifier.labels)
        let reference = try SklearnReference.metrics(truth: truth, predicted: predicted, labels: metrics.labels)
        #expect(abs(metrics.accuracy - reference.accuracy) < 1e-12)
        #expect(abs(metrics.macroF1 - reference.macro_f1) < 1e-12)
        #expect(metrics.confusion == reference.confusion_matrix)
        #expect(metrics.perClass.map(\.support) == [462, 467, 528, 114])
    }

    @Test("keyword scores: each keyword once, ties to the earliest topic, 0 → general")
    func rules() throws {
        let c = try Self.shippedRules()
        #expect(c.labels == ["hardware", "algorithms", "applications", "general"])
        #expect(c.scores(text: "FPGA fpga chip") == [2, 0, 0])
        #expect(c.classify(text: "a chip for spiking vision") == "hardware")
        #expect(c.classify(text: "spiking vision camera") == "applications")
        #expect(c.classify(title: "Nothing", abstract: "here") == "general")
        #expect(c.votes(text: "STDP") == ["hardware": 0, "algorithms": 1, "applications": 0])
        // A combining mark after a keyword still matches, as in Python.
        #expect(c.scores(text: "chip\u{301}") == [1, 0, 0])
    }
}
