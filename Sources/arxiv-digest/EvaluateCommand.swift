import ArgumentParser
import AtomicFiles
import Classifiers
import Evaluation
import Foundation
import TopicModel

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a model on labelled papers, side by side with the profile's keyword rules.",
        discussion: """
            Prints accuracy, macro-F1, per-class precision/recall/F1/support and the confusion matrix as \
            Markdown, then the reliability table of the model's calibrated probabilities (10 equal-width \
            bins of the top probability) and its expected calibration error (ECE); --json writes the same \
            numbers (keys accuracy, macro_f1, per_class, confusion_matrix, keywords.accuracy, \
            keywords.macro_f1, ece, reliability, …). The keyword columns are left out when the profile \
            has no keyword rules, or rules for labels other than the model's.
            Example:
              arxiv-digest evaluate --model Models/topics.model --data held-out.jsonl --json scores.json
              arxiv-digest evaluate --profile quantum/profile.toml --data quantum/held-out.jsonl
            """
    )

    @OptionGroup var profileOptions: ProfileOptions
    @OptionGroup var modelOptions: ModelLocationOptions

    @Option(help: ArgumentHelp("Labelled papers in JSON Lines; repeat to combine several files.", valueName: "file.jsonl"))
    var data: [String] = []

    @Option(help: ArgumentHelp("Also write the scores as JSON here (atomically).", valueName: "file.json"))
    var json: String?

    @Option(help: ArgumentHelp("Also draw SVG plots here: confusion-matrix.svg, per-class.svg, reliability.svg.", valueName: "dir"))
    var plots: String?

    /// The files --plots writes into its folder.
    static let plotNames = ["confusion-matrix.svg", "per-class.svg", "reliability.svg"]

    func validate() throws {
        try RequiredOptions.require(!data.isEmpty, "Give the labelled papers with --data FILE.jsonl.")
        try InputFile.refuseEmpty(data, option: "--data")
    }

    func run() throws {
        let profile = try profileOptions.loadIfPresent()
        let inputs = modelOptions.inputs(profile: profile) + profileOptions.inputs(profile: profile) + .named("--data", data)
        try OutputGuard.checkFile(json, option: "--json", inputs: inputs)
        let plotFiles = try plots.map { try PlotFolder.check($0, option: "--plots", names: Self.plotNames, inputs: inputs) } ?? []
        try OutputGuard.checkDistinct(.named("--json", [json]) + .named("--plots", plotFiles))
        let model = try modelOptions.loadModel(profile: profile)
        // A paper given twice would weigh twice in every score: dropped, as train drops it.
        let (corpus, duplicates) = try LabelledCorpus.load(files: data.map { URL(fileURLWithPath: $0) }, allowedLabels: model.classes).droppingDuplicates()
        logDroppedDuplicates(duplicates)
        let probabilities = try model.predictProbabilities(corpus.papers)
        let predicted = probabilities.rowArgmax().map { model.classes[$0] }
        let columnOfClass = Dictionary(uniqueKeysWithValues: model.classes.enumerated().map { ($1, $0) })
        let reliability = ReliabilityTable(probabilities: probabilities, truth: corpus.labels.map { columnOfClass[$0]! })
        // The rules are compared only where they speak the model's labels: another field's rules
        // would score 0 and add rows for labels the data never uses.
        var baseline: ClassificationMetrics?
        if let rules = profile?.keywordRulesIfAny, rules.onlyPredicts(among: model.classes) {
            let keywordLabels = corpus.papers.map { rules.classify(title: $0.title, abstract: $0.abstract) }
            baseline = try ClassificationMetrics(truth: corpus.labels, predicted: keywordLabels, labelOrder: model.classes)
        } else if let rules = profile?.keywordRulesIfAny {
            logToStandardError(KeywordBaselineNote.leftOut(rules: rules, classes: model.classes))
        }
        let report = EvaluationReport(
            title: "\(data.joined(separator: ", ")) (\(corpus.papers.count) papers)",
            modelName: "model", model: try ClassificationMetrics(truth: corpus.labels, predicted: predicted, labelOrder: model.classes),
            baselineName: "keywords", baseline: baseline, reliability: reliability)
        try StandardStreams.write(report.markdown())
        // The JSON and the plots are replaced together: a plot that cannot be written keeps the old JSON too.
        var files: [(url: URL, data: Data)] = []
        if let json { files.append((URL(fileURLWithPath: json), try report.jsonData())) }
        if let plots {
            let svgs = [SVGPlots.confusionMatrix(report.model), SVGPlots.perClassScores(report.model), SVGPlots.reliabilityDiagram(reliability)]
            try OutputPath.createFolder(plots)
            let folder = URL(fileURLWithPath: plots, isDirectory: true)
            files += zip(Self.plotNames, svgs).map { (folder.appendingPathComponent($0), Data($1.utf8)) }
        }
        try AtomicFile.writeAll(files)
        if let plots { logToStandardError("wrote \(Self.plotNames.sorted().joined(separator: ", ")) to \(plots)") }
    }
}
