import ArgumentParser
import Foundation
import TopicModel

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a topic classifier on labelled papers and write the model file.",
        discussion: """
            The defaults are those of the shipped model (Models/README.md says how they were chosen). \
            --cv K cross-validates the options first and stores the scores in the model; --grid tries \
            every combination of --grid-values and --grid-ngrams, prints the table, and trains with the best.
            Examples:
              arxiv-digest train --data ../shared/datasets/topics/train.jsonl --cv 5 --output topics.model
              arxiv-digest train --data labelled.jsonl --classifier nb --alpha 0.1 --output nb.model
              arxiv-digest train --data labelled.jsonl --grid --grid-values 1,10,30,100 --grid-ngrams 1,1 1,2 --output best.model
            """
    )

    @Option(help: ArgumentHelp("Labelled papers in JSON Lines; repeat to combine several files.", valueName: "file.jsonl"))
    var data: [String] = []

    @Option(help: ArgumentHelp("The labels records may carry: \"topics\" (hardware, algorithms, applications, general), \"auto\" (any), or a comma-separated list.", valueName: "topics|auto|a,b,…"))
    var labels: String = "topics"

    @OptionGroup var training: TrainingOptionGroup

    @Option(help: ArgumentHelp("Cross-validate with K stratified folds before training, and store the scores in the model.", valueName: "K"))
    var cv: Int?

    @Flag(help: "Search the grid of --grid-values × --grid-ngrams by cross-validation, print the table and train the best.")
    var grid = false

    @Option(help: ArgumentHelp("Grid values of C (logreg) or alpha (nb, cnb).", valueName: "v1,v2,…"))
    var gridValues: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Grid n-gram ranges.", valueName: "min,max …"))
    var gridNgrams: [String] = ["1,1", "1,2"]

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the model (atomically).", valueName: "file.model"))
    var output: String

    func validate() throws {
        guard !data.isEmpty else { throw ValidationError("Give the training data with --data FILE.jsonl.") }
        if let cv, cv < 2 { throw ValidationError("--cv must be at least 2 folds, got \(cv).") }
        if grid, let values = gridValues { _ = try parseValues(values) }
        for range in gridNgrams { _ = try parseNgramRange(range, option: "--grid-ngrams") }
    }

    func run() throws {
        try OutputGuard.check(output, option: "--output", inputs: .named("--data", data))
        var options = try training.trainingOptions()
        let corpus: LabelledCorpus
        do {
            corpus = try LabelledCorpus.load(files: data.map { URL(fileURLWithPath: $0) }, allowedLabels: allowedLabels())
        } catch let error as TrainingError {
            if case .unknownLabel = error { throw CLIError("\(error) (--labels auto learns any labels)") }
            throw error
        }
        logToStandardError("\(corpus.papers.count) labelled papers, classes: " +
            corpus.classes().map { label in "\(label) \(corpus.labels.filter { $0 == label }.count)" }.joined(separator: ", "))

        var summary: CrossValidationSummary?
        if grid {
            let folds = cv ?? 5
            let defaults = options.classifier == .logreg ? "1,3,10,30,100" : "0.01,0.03,0.1,0.3,1"
            let candidates = GridSearch.candidates(
                base: options, regularisation: try parseValues(gridValues ?? defaults),
                ngramRanges: try gridNgrams.map { try parseNgramRange($0, option: "--grid-ngrams") })
            let bar = ProgressBar("grid search")
            let (results, best) = try GridSearch.run(corpus, candidates: candidates, folds: folds, progress: bar.update)
            try StandardStreams.write(gridTable(results, best: best))
            options = results[best].options
            summary = results[best].summary
        } else if let cv {
            let bar = ProgressBar("cross-validation")
            let result = try CrossValidation.run(corpus, options: options, folds: cv, progress: bar.update)
            summary = result.summary
        }
        if let summary {
            logToStandardError(String(format: "cross-validated (%d folds, seed %llu): accuracy %.4f, macro-F1 %.4f; keyword rules: accuracy %.4f, macro-F1 %.4f",
                summary.folds, summary.seed, summary.accuracy, summary.macroF1, summary.keywordsAccuracy ?? .nan, summary.keywordsMacroF1 ?? .nan))
        }

        var model = try TopicModel.train(corpus, options: options)
        model.metadata.crossValidation = summary
        try model.write(to: URL(fileURLWithPath: output))
        var line = "wrote \(output): \(model.options.classifier.rawValue), \(model.vectorizer.featureCount) terms, \(model.classes.count) classes"
        if let iterations = model.metadata.iterations { line += ", \(iterations) L-BFGS iterations" }
        if model.metadata.converged == false { line += " (not converged: raise --max-iter)" }
        logToStandardError(line)
    }

    private func allowedLabels() throws -> [String]? {
        switch labels {
        case "topics": return LabelledCorpus.topicLabels
        case "auto": return nil
        default:
            let list = labels.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard list.count >= 2, !list.contains("") else {
                throw ValidationError("--labels must be topics, auto, or at least two comma-separated labels; got \"\(labels)\".")
            }
            return list
        }
    }

    private func parseValues(_ text: String) throws -> [Double] {
        let values = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.count == text.split(separator: ",").count, values.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw ValidationError("--grid-values must be comma-separated positive numbers, e.g. 1,10,100; got \"\(text)\".")
        }
        return values
    }

    private func gridTable(_ results: [CrossValidation.Result], best: Int) -> String {
        let parameter = results.first?.options.classifier == .logreg ? "C" : "alpha"
        var table = "| n-grams | \(parameter) | accuracy | macro-F1 |  |\n|---|---|---|---|---|\n"
        for (i, result) in results.enumerated() {
            let o = result.options
            let value = o.classifier == .logreg ? o.C : o.alpha
            table += String(format: "| %d,%d | %g | %.4f | %.4f | ", o.vectorizer.ngramRange.lowerBound,
                            o.vectorizer.ngramRange.upperBound, value, result.metrics.accuracy, result.metrics.macroF1)
                + (i == best ? "best" : "") + " |\n"
        }
        return table
    }
}
