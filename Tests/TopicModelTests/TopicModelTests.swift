import ArxivFeed
import Classifiers
import DigestProfile
import Foundation
import LinearAlgebra
import ModelStore
import Testing
import TestSupport
@testable import TopicModel

/// The sixteen labelled sample papers shipped in Datasets/samples (four per topic).
private let samplePapers = SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl")

/// The shipped profile's section labels and keyword rules: what the CLI hands the library by default.
private enum ShippedProfile {
    static let profile = Result { try DigestProfile.load(from: SharedData.packageRoot.appendingPathComponent("Models/open-neuromorphic.toml")) }
    static var labels: [String] { (try? profile.get().labels) ?? [] }
    static func keywordRules() throws -> KeywordRules {
        let profile = try profile.get()
        return KeywordRules(topics: profile.sections.map { ($0.label, $0.keywords) }, fallback: profile.fallback)
    }
}

/// Writes JSON Lines text to a fresh temporary file.
private func jsonlFile(_ lines: [String]) throws -> URL {
    let url = try SharedData.temporaryDirectory().appendingPathComponent("data.jsonl")
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
    return url
}

private func record(_ id: Int, _ label: String?, title: String = "A title", abstract: String = "An abstract") -> String {
    var fields = ["\"id\": \"9999.\(id)\"", "\"title\": \"\(title)\"", "\"abstract\": \"\(abstract)\"", "\"published\": \"2026-11-01\""]
    if let label { fields.append("\"label\": \"\(label)\"") }
    return "{" + fields.joined(separator: ", ") + "}"
}

@Suite("Topic model")
struct TopicModelTests {
    @Test("trains on the samples, and a saved model predicts exactly what the trained one does")
    func saveAndReload() throws {
        let corpus = try LabelledCorpus.load(files: [samplePapers], allowedLabels: ShippedProfile.labels)
        var options = TrainingOptions()
        options.vectorizer.minDF = .count(1)
        let model = try TopicModel.train(corpus, options: options)
        #expect(model.classes == ["hardware", "algorithms", "applications", "general"])
        #expect(try model.predictLabels(corpus.papers) == corpus.labels)

        let url = try SharedData.temporaryDirectory().appendingPathComponent("topics.model")
        try model.write(to: url)
        let reloaded = try TopicModel.read(from: url)
        #expect(reloaded.options == model.options)
        #expect(reloaded.metadata == model.metadata)
        #expect(try reloaded.predictProbabilities(corpus.papers) == model.predictProbabilities(corpus.papers))
        #expect(try reloaded.encoded() == Data(contentsOf: url))
    }

    @Test("every classifier kind survives the model file", arguments: TrainingOptions.ClassifierKind.allCases)
    func kinds(kind: TrainingOptions.ClassifierKind) throws {
        let corpus = try LabelledCorpus.load(files: [samplePapers], allowedLabels: nil)
        var options = TrainingOptions()
        options.classifier = kind
        options.vectorizer.minDF = .count(1)
        options.keywordVoteWeight = 0.5
        options.keywordRules = try ShippedProfile.keywordRules()
        let model = try TopicModel.train(corpus, options: options)
        let reloaded = try TopicModel.decode(try model.encoded())
        #expect(try reloaded.predictLabels(corpus.papers) == model.predictLabels(corpus.papers))
        #expect(reloaded.options.keywordRules == options.keywordRules)
    }

    @Test("training is deterministic: same data and options, same bytes")
    func deterministic() throws {
        let corpus = try LabelledCorpus.load(files: [samplePapers], allowedLabels: nil)
        var options = TrainingOptions()
        options.vectorizer.minDF = .count(1)
        options.vectorizer.ngramRange = 1...2
        #expect(try TopicModel.train(corpus, options: options).encoded() == TopicModel.train(corpus, options: options).encoded())
    }

    @Test("explanations name terms of the paper that favour its label")
    func explanations() throws {
        let corpus = try LabelledCorpus.load(files: [samplePapers], allowedLabels: nil)
        var options = TrainingOptions()
        options.vectorizer.minDF = .count(1)
        let model = try TopicModel.train(corpus, options: options)
        let paper = corpus.papers[0]
        let terms = model.explain([paper], labels: [corpus.labels[0]], top: 3)[0]
        #expect(!terms.isEmpty && terms.count <= 3)
        let text = paper.classifierText.lowercased()
        for term in terms { #expect(text.contains(term.term)); #expect(term.weight > 0) }
        #expect(terms.map(\.weight) == terms.map(\.weight).sorted(by: >))
    }

    @Test("cross-validation gives every record one out-of-fold prediction and beats the keyword rules on the topics")
    func crossValidation() throws {
        let corpus = try LabelledCorpus.load(files: [SharedData.url("datasets/topics/train.jsonl")], allowedLabels: ShippedProfile.labels)
        let result = try CrossValidation.run(corpus, options: TrainingOptions(), folds: 3, keywordBaseline: ShippedProfile.keywordRules())
        #expect(result.predictions.count == corpus.papers.count)
        #expect(result.predictions.allSatisfy { ShippedProfile.labels.contains($0) })
        let keywordMetrics = try #require(result.keywordMetrics)
        #expect(result.metrics.macroF1 > keywordMetrics.macroF1 + 0.05)
        #expect(result.metrics.accuracy > keywordMetrics.accuracy + 0.1)
    }
}

@Suite("Training data errors")
struct TrainingDataErrorTests {
    @Test("a record without a label names its file and line")
    func missingLabel() throws {
        let url = try jsonlFile([record(1, "hardware"), record(2, nil)])
        #expect { try LabelledCorpus.load(files: [url], allowedLabels: nil) } throws: { error in
            "\(error)".contains("data.jsonl:2") && "\(error)".contains("\"label\"")
        }
    }

    @Test("an unknown label names its file, line and value")
    func unknownLabel() throws {
        let url = try jsonlFile([record(1, "hardware"), record(2, "biology")])
        #expect { try LabelledCorpus.load(files: [url], allowedLabels: ShippedProfile.labels) } throws: { error in
            "\(error)".contains("data.jsonl:2") && "\(error)".contains("biology")
        }
    }

    @Test("an empty label names its file and line (it would make a model that cannot be read)")
    func emptyLabel() throws {
        let url = try jsonlFile([record(1, "hardware"), record(2, "")])
        #expect { try LabelledCorpus.load(files: [url], allowedLabels: nil) } throws: { error in
            "\(error)".contains("data.jsonl:2") && "\(error)".contains("\"label\" is empty")
        }
    }

    @Test("a class named twice in the class order is one class, and an explicit order with a duplicate is an error, not a trap")
    func duplicateClassNames() throws {
        // What train --profile did with a section labelled off-topic: the sections, then off-topic again.
        let order = ["off-topic", "quit", "off-topic"]
        let corpus = try LabelledCorpus.load(files: [samplePapers], allowedLabels: nil, classOrder: order)
        #expect(corpus.classes() == ["algorithms", "applications", "general", "hardware"])
        let offTopic = LabelledCorpus(papers: corpus.papers, labels: corpus.papers.indices.map { ["off-topic", "quit"][$0 % 2] },
                                      origins: corpus.origins, sources: corpus.sources, preferredClassOrder: order)
        #expect(offTopic.classes() == ["off-topic", "quit"])
        var options = TrainingOptions()
        options.vectorizer.minDF = .count(1)
        #expect(try TopicModel.train(offTopic, options: options).classes == ["off-topic", "quit"])
        #expect { try TopicModel.train(offTopic, options: options, classes: order) } throws: { "\($0)".contains("names a class twice") }
        #expect { try TopicModel.train(offTopic, options: options, classes: ["quit", "other"]) } throws: { "\($0)".contains("\"off-topic\"") }
    }

    @Test("cross-validation asks each class for enough papers that every fold trains on two of it")
    func foldClassSizes() throws {
        #expect([2, 3, 4, 5, 10].map(CrossValidation.minimumClassSize(folds:)) == [4, 3, 4, 5, 10])
        var options = TrainingOptions()
        options.vectorizer.minDF = .count(1)
        // Two folds, three "general" papers: one fold would hold out two and train on one.
        let words = ["spike", "crossbar", "retina", "survey", "synapse", "gesture", "review", "memristor"]
        func records(_ label: String, _ count: Int, from start: Int, sameText: Bool = false) -> [String] {
            (0..<count).map { i in record(start + i, label, title: "\(label) \(sameText ? "twin" : words[i % words.count])", abstract: "about \(label) \(i)") }
        }
        let three = try LabelledCorpus.load(files: [try jsonlFile(records("hardware", 4, from: 100) + records("general", 3, from: 200))], allowedLabels: nil)
        #expect { try CrossValidation.run(three, options: options, folds: 2) } throws: { error in
            "\(error)".contains("class \"general\" has 3 example(s)") && "\(error)".contains("needs at least 4 for 2-fold cross-validation")
        }
        #expect(try CrossValidation.run(three, options: options, folds: 3).predictions.count == 7)
        // Four papers, three of them with one text: the three stay in one fold, whose training part keeps one.
        let twins = records("general", 3, from: 300, sameText: true).enumerated().map { i, line in
            line.replacingOccurrences(of: "about general \(i)", with: "about general twin")
        }
        let grouped = try LabelledCorpus.load(files: [try jsonlFile(records("hardware", 4, from: 100) + records("general", 1, from: 200) + twins)], allowedLabels: nil)
        #expect { try CrossValidation.run(grouped, options: options, folds: 2) } throws: { error in
            "\(error)".contains("would train on 1 of the 4 papers of class \"general\"") && "\(error)".contains("fewer folds")
        }
    }

    @Test("a paper library's labels win over --data's for the same paper, in place; its other papers follow")
    func libraryOverlay() throws {
        let data = try LabelledCorpus.load(files: [try jsonlFile([record(1, "hardware"), record(2, "general"), record(3, "algorithms")])],
                                           allowedLabels: nil)
        func paper(_ id: String, _ title: String, _ label: String) -> Paper {
            Paper(id: id, url: nil, title: title, abstract: "An abstract", published: "2026-11-01", label: label)
        }
        // 9999.1 corrected, 9999.3v2 (another version) agreeing, 9999.4 new.
        let library = try LabelledCorpus.from(labelledPapers: [
            paper("9999.1", "A title", "algorithms"), paper("9999.3v2", "A title", "algorithms"), paper("9999.4", "Another title", "general"),
        ], source: "library.sqlite", allowedLabels: nil)
        let (corpus, relabelled) = data.overlaid(with: library)
        #expect(corpus.papers.map(\.id) == ["9999.1", "9999.2", "9999.3", "9999.4"])
        #expect(corpus.labels == ["algorithms", "general", "algorithms", "general"])
        #expect(relabelled.map { "\($0.origin): \($0.from) → \($0.to)" } == ["\(data.origins[0]): hardware → algorithms"])
        #expect(corpus.origins.last == "library.sqlite: paper 9999.4")
    }

    @Test("routing: a sure guess goes to its section, the off-topic class is left out, an unsure guess goes to the fallback")
    func routing() {
        let classes = ["hardware", DigestProfile.offTopicLabel, "general"]
        let probabilities = DenseMatrix(rows: [[0.8, 0.1, 0.1], [0.1, 0.85, 0.05], [0.2, 0.5, 0.3], [0.45, 0.1, 0.45]])
        let decisions = TopicRouting.decide(probabilities: probabilities, classes: classes, minConfidence: 0.6,
                                            fallback: "general", offTopicLabel: DigestProfile.offTopicLabel)
        #expect(decisions.map(\.section) == ["hardware", nil, "general", "general"])
        #expect(decisions.map(\.predicted) == ["hardware", DigestProfile.offTopicLabel, DigestProfile.offTopicLabel, "hardware"])
        #expect(decisions.map(\.abstained) == [false, false, true, true])
        #expect(decisions.map(\.isOffTopic) == [false, true, false, false])
        // Without a minimum nothing abstains; the reserved label is the one given, not a fixed name.
        let sure = TopicRouting.decide(probabilities: probabilities, classes: ["a", "b", "c"], minConfidence: nil,
                                       fallback: "c", offTopicLabel: "b")
        #expect(sure.map(\.section) == ["a", nil, nil, "a"])
    }

    @Test("a record with no text is refused")
    func emptyText() throws {
        let url = try jsonlFile([record(1, "hardware", title: " ", abstract: "")])
        #expect { try LabelledCorpus.load(files: [url], allowedLabels: nil) } throws: { error in
            "\(error)".contains("data.jsonl:1") && "\(error)".contains("empty")
        }
    }

    @Test("a class with one example, or a single class, cannot be trained")
    func classSizes() throws {
        let oneExample = try LabelledCorpus.load(files: [jsonlFile([record(1, "hardware"), record(2, "hardware"), record(3, "general")])], allowedLabels: nil)
        #expect { try TopicModel.train(oneExample, options: TrainingOptions()) } throws: { error in
            "\(error)".contains("\"general\" has 1 example") && "\(error)".contains("data.jsonl:3")
        }
        let oneClass = try LabelledCorpus.load(files: [jsonlFile([record(1, "hardware"), record(2, "hardware")])], allowedLabels: nil)
        #expect(throws: TrainingError.self) { try TopicModel.train(oneClass, options: TrainingOptions()) }
    }

    @Test("options out of range are refused before any work", arguments: [
        { (o: inout TrainingOptions) in o.C = 0 }, { o in o.alpha = -1 }, { o in o.tol = 0 },
        { o in o.maxIterations = 0 }, { o in o.titleRepeat = 0 }, { o in o.keywordVoteWeight = -1 },
        { o in o.vectorizer.ngramRange = 0...1 }, { o in o.vectorizer.ngramRange = 1...6 }, { o in o.titleRepeat = 11 },
    ] as [@Sendable (inout TrainingOptions) -> Void])
    func optionRanges(change: @Sendable (inout TrainingOptions) -> Void) throws {
        var options = TrainingOptions()
        change(&options)
        #expect(throws: TrainingError.self) { try options.validate() }
    }
}

@Suite("Topic model files")
struct TopicModelFileTests {
    private func sampleModel() throws -> TopicModel {
        let corpus = try LabelledCorpus.load(files: [samplePapers], allowedLabels: nil)
        var options = TrainingOptions()
        options.vectorizer.minDF = .count(1)
        return try TopicModel.train(corpus, options: options)
    }

    @Test("a container of another kind is refused")
    func otherKind() throws {
        struct Other: Codable { var kind = "something.else" }
        let file = try ModelFile(header: Other())
        #expect { try TopicModel.decode(file.encoded()) } throws: { "\($0)".contains("something.else") }
    }

    @Test("weights that do not match the vocabulary are refused")
    func dimensionMismatch() throws {
        let model = try sampleModel()
        let good = try model.modelFile()
        var bad = try ModelFile(headerJSON: good.headerJSON)
        for name in good.sectionNames where name != "weights" { try bad.add(name, good.section(name)!) }
        try bad.add("weights", .float64([0, 1, 2]))
        #expect { try TopicModel.decode(bad.encoded(), fileName: "topics.model") } throws: { error in
            "\(error)".contains("topics.model") && "\(error)".contains("weights")
        }
    }

    @Test("a newer layout is refused with a message saying so")
    func newerLayout() throws {
        let good = try sampleModel().modelFile()
        var header = try JSONSerialization.jsonObject(with: good.headerJSON) as! [String: Any]
        header["layout_version"] = TopicModel.layoutVersion + 1
        var newer = try ModelFile(headerJSON: JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        for name in good.sectionNames { try newer.add(name, good.section(name)!) }
        #expect { try TopicModel.decode(newer.encoded()) } throws: { "\($0)".contains("newer") }
    }

    /// The sample model's file with `edit` applied to its header (a valid checksum, as a crafted file has).
    private func editedHeader(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        let good = try sampleModel().modelFile()
        var header = try JSONSerialization.jsonObject(with: good.headerJSON) as! [String: Any]
        edit(&header)
        var edited = try ModelFile(headerJSON: JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        for name in good.sectionNames { try edited.add(name, good.section(name)!) }
        return edited.encoded()
    }

    /// Sets `options.<path>` in a header.
    private static func setOption(_ path: [String], _ value: Any) -> @Sendable (inout [String: Any]) -> Void {
        { header in
            func set(_ table: [String: Any], _ path: ArraySlice<String>) -> [String: Any] {
                var table = table
                table[path.first!] = path.count == 1 ? value : set(table[path.first!] as? [String: Any] ?? [:], path.dropFirst())
                return table
            }
            header = set(header, (["options"] + path)[...])
        }
    }

    @Test("a header option out of the range training allows is refused, naming the file and the field", arguments: [
        (setOption(["titleRepeat"], -1), "options.titleRepeat"), (setOption(["titleRepeat"], 0), "options.titleRepeat"),
        (setOption(["titleRepeat"], 11), "options.titleRepeat"), (setOption(["titleRepeat"], 1_000_000_000), "options.titleRepeat"),
        (setOption(["vectorizer", "ngramRange"], [1, 1000]), "options.vectorizer.ngramRange"),
        (setOption(["vectorizer", "ngramRange"], [0, 1]), "options.vectorizer"),
        (setOption(["keywordVoteWeight"], -5.0), "options.keywordVoteWeight"),
        (setOption(["keywordVoteWeight"], 1000.0), "options.keywordVoteWeight"),
        (setOption(["embedding"], ["kind": "minilm", "weight": -1.0]), "options.embedding.weight"),
        ({ header in header["layout_version"] = 0 }, "layout_version"),
        // Keyword votes without their rules: only layout 1 predates storing them.
        ({ header in header["layout_version"] = 2; setOption(["keywordVoteWeight"], 1.0)(&header) }, "options.keywordRules is missing"),
        ({ header in header["classes"] = ["", "algorithms", "applications", "general"] }, "classes[0]"),
    ] as [(@Sendable (inout [String: Any]) -> Void, String)])
    func headerOutOfRange(edit: @Sendable (inout [String: Any]) -> Void, field: String) throws {
        let data = try editedHeader(edit)
        #expect { try TopicModel.decode(data, fileName: "edited.model") } throws: { error in
            "\(error)".hasPrefix("edited.model: ") && "\(error)".contains(field)
        }
    }

    @Test("the bounds themselves are read as before", arguments: [1, 10])
    func headerAtBounds(titleRepeat: Int) throws {
        let data = try editedHeader(Self.setOption(["titleRepeat"], titleRepeat))
        #expect(try TopicModel.decode(data).options.titleRepeat == titleRepeat)
    }

    @Test("huge or non-finite parameters are refused: the softmax loses its resolution (1e308 intercepts gave two classes probability 1.0)",
          arguments: [("intercepts", 1e308), ("intercepts", -1e308), ("weights", 1e308), ("weights", -.infinity), ("intercepts", 2e8)])
    func hugeParameters(section: String, value: Double) throws {
        let good = try sampleModel().modelFile()
        var bad = try ModelFile(headerJSON: good.headerJSON)
        for name in good.sectionNames where name != section { try bad.add(name, good.section(name)!) }
        guard case .float64(var values) = good.section(section)! else { Issue.record("\(section) is not float64"); return }
        values[1] = value
        try bad.add(section, .float64(values))
        #expect { try TopicModel.decode(bad.encoded(), fileName: "huge.model") } throws: { error in
            "\(error)".hasPrefix("huge.model: ") && "\(error)".contains("section \(section) holds \(value) at index 1")
        }
    }

    @Test("naive Bayes log-probabilities are checked the same way (they were not checked at all)", arguments: ["feature_log_prob", "class_log_prior"])
    func naiveBayesParameters(section: String) throws {
        let corpus = try LabelledCorpus.load(files: [samplePapers], allowedLabels: nil)
        var options = TrainingOptions()
        options.vectorizer.minDF = .count(1)
        options.classifier = .nb
        let good = try TopicModel.train(corpus, options: options).modelFile()
        var bad = try ModelFile(headerJSON: good.headerJSON)
        for name in good.sectionNames where name != section { try bad.add(name, good.section(name)!) }
        guard case .float64(var values) = good.section(section)! else { Issue.record("\(section) is not float64"); return }
        values[0] = .nan
        try bad.add(section, .float64(values))
        #expect { try TopicModel.decode(bad.encoded(), fileName: "nb.model") } throws: { "\($0)".contains("section \(section) holds nan at index 0") }
    }

    @Test("every shipped model passes the checks a model file gets")
    func shippedModelsLoad() throws {
        for name in ["topics.model", "topics-tfidf.model"] {
            let url = SharedData.packageRoot.appendingPathComponent("Models/\(name)")
            // load, not read: the checks of the file without the sentence encoder's weights.
            let model = try TopicModel.load(ModelFile.read(from: url))
            #expect(model.classes == ["hardware", "algorithms", "applications", "general"])
        }
    }
}

@Suite("The shipped model")
struct ShippedModelTests {
    /// Models/README.md's command for the TF-IDF-only model, `train --data …/topics/train.jsonl --data
    /// …/topics/train-extra.jsonl --cv 5 --seed 0`, done through the library (which, like `train`, drops the
    /// one exact duplicate). The default model, `topics.model`, is the same command with the sentence
    /// encoder; encoding its 2,547 papers takes minutes, so `Models/reproduce.sh` checks it (CI runs it).
    @Test("Models/topics-tfidf.model is what its documented command trains, byte for byte")
    func reproducible() throws {
        let shipped = try Data(contentsOf: SharedData.packageRoot.appendingPathComponent("Models/topics-tfidf.model"))
        let files = [SharedData.url("datasets/topics/train.jsonl"), SharedData.url("datasets/topics/train-extra.jsonl")]
        let corpus = try LabelledCorpus.load(files: files, allowedLabels: ShippedProfile.labels).droppingDuplicates().corpus
        let options = TrainingOptions()
        let crossValidation = try CrossValidation.run(corpus, options: options, folds: 5, keywordBaseline: ShippedProfile.keywordRules())
        var model = try TopicModel.train(corpus, options: options)
        model.adopt(crossValidation)
        #expect(try model.encoded() == shipped)
        // And the scores Models/README.md quotes are the ones stored in it.
        let stored = try TopicModel.decode(shipped).metadata.crossValidation
        #expect(stored?.macroF1 ?? 0 > 0.78)
        #expect(stored?.accuracy ?? 0 > 0.86)
    }
}
