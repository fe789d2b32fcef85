import ArgumentParser
import AtomicFiles
import Classifiers
import Evaluation
import Foundation
import TopicModel

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a model on labelled papers, side by side with the keyword rules.",
        discussion: """
            Prints accuracy, macro-F1, per-class precision/recall/F1/support and the confusion matrix as \
            Markdown; --json writes the same numbers (keys accuracy, macro_f1, per_class, confusion_matrix, \
            keywords.accuracy, keywords.macro_f1, …).
            Example:
              arxiv-digest evaluate --model Models/topics.model --data held-out.jsonl --json scores.json
            """
    )

    @OptionGroup var modelOptions: ModelLocationOptions

    @Option(help: ArgumentHelp("Labelled papers in JSON Lines; repeat to combine several files.", valueName: "file.jsonl"))
    var data: [String] = []

    @Option(help: ArgumentHelp("Also write the scores as JSON here (atomically).", valueName: "file.json"))
    var json: String?

    func validate() throws {
        guard !data.isEmpty else { throw ValidationError("Give the labelled papers with --data FILE.jsonl.") }
    }

    func run() throws {
        try OutputGuard.check(json, option: "--json", inputs: .named("--model", [modelOptions.resolvedModelURL().path]) + .named("--data", data))
        let model = try modelOptions.loadModel()
        let corpus = try LabelledCorpus.load(files: data.map { URL(fileURLWithPath: $0) }, allowedLabels: model.classes)
        let predicted = try model.predictLabels(corpus.papers)
        let rules = KeywordClassifier()
        let keywordLabels = corpus.papers.map { rules.classify(title: $0.title, abstract: $0.abstract) }
        let report = EvaluationReport(
            title: "\(data.joined(separator: ", ")) (\(corpus.papers.count) papers)",
            modelName: "model", model: try ClassificationMetrics(truth: corpus.labels, predicted: predicted, labelOrder: model.classes),
            baselineName: "keywords",
            baseline: try ClassificationMetrics(truth: corpus.labels, predicted: keywordLabels, labelOrder: model.classes))
        try StandardStreams.write(report.markdown())
        if let json { try AtomicFile.write(report.jsonData(), to: URL(fileURLWithPath: json)) }
    }
}
