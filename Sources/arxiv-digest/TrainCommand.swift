import ArgumentParser
import AtomicFiles
import DigestProfile
import Foundation
import SentenceEncoder
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
              arxiv-digest train --profile quantum/profile.toml --data quantum/labelled.jsonl --cv 5   # writes the profile's model
            """
    )

    @OptionGroup var profileOptions: ProfileOptions

    @Option(help: ArgumentHelp("Labelled papers in JSON Lines; repeat to combine several files.", valueName: "file.jsonl"))
    var data: [String] = []

    @Option(help: ArgumentHelp("The labels records may carry: \"profile\" (the profile's section labels; also spelled \"topics\"), \"auto\" (any), or a comma-separated list.", valueName: "profile|auto|a,b,…"))
    var labels: String = "profile"

    @Option(help: ArgumentHelp("A paper library whose labelled papers to train on (with or instead of --data).", valueName: "file.sqlite"))
    var library: String?

    @OptionGroup var training: TrainingOptionGroup

    @OptionGroup var encoderWeights: EncoderWeightsOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Cross-validate with K stratified folds before training, and store the scores in the model.", valueName: "K"))
    var cv: Int?

    @Flag(help: "Keep a logistic-regression model even when its fit stopped at iteration 0 (by default that is an error).")
    var allowNoProgress = false

    @Flag(help: "Search the grid of --grid-values × --grid-ngrams by cross-validation, print the table and train the best.")
    var grid = false

    @Option(help: ArgumentHelp("Grid values of C (logreg) or alpha (nb, cnb).", valueName: "v1,v2,…"))
    var gridValues: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Grid n-gram ranges (default: 1,1 1,2).", valueName: "min,max …"))
    var gridNgrams: [String] = []

    /// The ranges of `--grid-ngrams`, or its default (1,1 and 1,2).
    private func gridNgramRangeValues() throws -> [ClosedRange<Int>] {
        try (gridNgrams.isEmpty ? ["1,1", "1,2"] : gridNgrams).map { try parseNgramRange($0, option: "--grid-ngrams") }
    }

    @Option(help: ArgumentHelp("Also measure the cross-validated macro-F1 on 10, 25, 50, 75 and 100% of the data (--cv folds, default 5) and write learning-curve.svg and learning-curve.json here.", valueName: "dir"))
    var learningCurve: String?

    @OptionGroup var progressOptions: ProgressOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the model (atomically); with --profile, by default the profile's model.", valueName: "file.model"))
    var output: String?

    func validate() throws {
        try RequiredOptions.require(!data.isEmpty || library != nil, "Give the training data with --data FILE.jsonl or --library FILE.sqlite.")
        try InputFile.refuseEmpty(data, option: "--data")
        // Without an explicit profile there is no model path to default to (the shipped model is not overwritten by accident).
        try RequiredOptions.require(output != nil || profileOptions.profile != nil, "Give --output FILE.model (or --profile, to write the profile's model).")
        if let cv { try OptionRanges.check(cv, "--cv", in: OptionRanges.folds) }
        if grid, let values = gridValues { _ = try parseValues(values) }
        if !grid, gridValues != nil { throw ValidationError("--grid-values is only read with --grid; add --grid or leave it out.") }
        if !grid, !gridNgrams.isEmpty { throw ValidationError("--grid-ngrams is only read with --grid; add --grid or leave it out.") }
        // The grid sets these itself: a value given beside it would be dropped without a word.
        func chosenByGrid(_ option: String, candidates: String) -> ValidationError {
            ValidationError("\(option) is chosen by --grid (give the candidates with \(candidates)); leave \(option) out, or drop --grid.")
        }
        if grid, training.classifier == .logreg ? training.C != nil : training.alpha != nil {
            throw chosenByGrid(training.classifier == .logreg ? "--C" : "--alpha", candidates: "--grid-values")
        }
        if grid, training.ngramRange != nil { throw chosenByGrid("--ngram-range", candidates: "--grid-ngrams") }
        let ranges = try gridNgramRangeValues()
        if let repeated = ranges.firstRepeated {
            throw ValidationError("--grid-ngrams names \(repeated.lowerBound),\(repeated.upperBound) twice; give each range once.")
        }
    }

    func run() throws {
        // The profile's labels are needed when they are the allowed ones; otherwise they only order the classes.
        let profile = usesProfileLabels ? try profileOptions.load() : try profileOptions.loadIfPresent()
        // validate() made sure there is an --output or an explicit profile whose model path is the default.
        let outputURL = output.map { URL(fileURLWithPath: $0) } ?? profile!.modelURL
        let inputs = .named("--data", data) + .library("--library", library) + profileOptions.inputs(profile: profile) + encoderWeights.inputs
        let outputOption = output == nil ? "the profile's model" : "--output"
        try OutputGuard.checkFile(output ?? outputURL.path, option: outputOption, inputs: inputs)
        if let learningCurve {
            let files = try PlotFolder.check(learningCurve, option: "--learning-curve", names: LearningCurveFiles.names, inputs: inputs)
            try OutputGuard.checkDistinct(.named(outputOption, [output ?? outputURL.path]) + .named("--learning-curve", files))
        }
        var options = try training.trainingOptions()
        if options.keywordVoteWeight > 0 {
            guard let rules = profile?.keywordRulesIfAny else {
                throw CLIError("--keyword-votes needs keyword rules, and \(profile?.file.path ?? "no profile") has none; add keywords to its sections or leave --keyword-votes out")
            }
            options.keywordRules = rules
        }
        var corpus: LabelledCorpus
        do {
            corpus = try loadCorpus(files: data.map { URL(fileURLWithPath: $0) }, library: library, allowedLabels: allowedLabels(profile: profile),
                                    classOrder: profile.map { $0.labels + [DigestProfile.offTopicLabel] })
        } catch let error as TrainingError {
            if case .unknownLabel = error {
                throw CLIError("\(error) (" + (usesProfileLabels ? "the labels of \(profile?.file.path ?? "the profile")'s sections; " : "") + "--labels auto learns any labels)")
            }
            throw error
        }
        corpus = Self.droppingDuplicates(corpus)
        warnOfSectionsWithoutClass(corpus.classes(), profile: usesProfileLabels ? profile : nil, what: "the training papers give")
        logToStandardError("\(corpus.papers.count) labelled papers, classes: " +
            corpus.classes().map { label in "\(label) \(corpus.labels.filter { $0 == label }.count)" }.joined(separator: ", "))
        // The embeddings are computed once here; every fold and grid value reuses them.
        var encoder: SentenceEncoder?
        if let embedding = options.embedding {
            let loaded = try SentenceEncoder.load(from: encoderWeights.resolvedURL)
            try embedding.kind.check(loaded, weights: encoderWeights.resolvedURL)
            let bar = ProgressBar("encoding (\(SentenceEncoder.matrixLibrary))")
            try corpus.embed(with: loaded, cache: EmbeddingCache.standard(for: loaded, warn: logToStandardError)) { done, total in
                if done == total || done % 100 == 0 { bar.update(done, of: total) }
            }
            encoder = loaded
        }

        var crossValidation: CrossValidation.Result?
        if grid {
            let folds = cv ?? 5
            let defaults = options.classifier == .logreg ? "1,3,10,30,100" : "0.01,0.03,0.1,0.3,1"
            let candidates = GridSearch.candidates(
                base: options, regularisation: try parseValues(gridValues ?? defaults),
                ngramRanges: try gridNgramRangeValues())
            let bar = ProgressBar("grid search")
            let (results, best) = try GridSearch.run(corpus, candidates: candidates, folds: folds,
                                                     keywordBaseline: profile?.keywordRulesIfAny, encoder: encoder, progress: bar.update)
            try StandardStreams.write(gridTable(results, best: best))
            options = results[best].options
            crossValidation = results[best]
        } else if let cv {
            let bar = ProgressBar("cross-validation")
            crossValidation = try CrossValidation.run(corpus, options: options, folds: cv, keywordBaseline: profile?.keywordRulesIfAny, encoder: encoder,
                                                 progress: bar.update)
        }
        if let summary = crossValidation?.summary {
            var line = String(format: "cross-validated (%d folds, seed %llu): accuracy %.4f, macro-F1 %.4f",
                              summary.folds, summary.seed, summary.accuracy, summary.macroF1)
            if let accuracy = summary.keywordsAccuracy, let macroF1 = summary.keywordsMacroF1 {
                line += String(format: "; keyword rules: accuracy %.4f, macro-F1 %.4f", accuracy, macroF1)
            }
            logToStandardError(line)
            if summary.keywordsAccuracy == nil, let rules = profile?.keywordRulesIfAny {
                logToStandardError(KeywordBaselineNote.leftOut(rules: rules, classes: corpus.classes()))
            }
            logToStandardError(String(format: "calibrated on the out-of-fold scores: temperature %.4f, expected calibration error (10 bins) %.4f before, %.4f after",
                summary.temperature ?? 1, summary.expectedCalibrationError ?? .nan, summary.calibratedExpectedCalibrationError ?? .nan))
        }

        // Measured with the options the model is trained with (the grid's choice), written beside it below.
        let curveFiles = try learningCurve.map {
            try learningCurveFiles(corpus: corpus, options: options, folds: cv ?? 5, encoder: encoder, in: $0)
        } ?? []

        let vectorising = progressOptions.line("vectorising"), fitting = progressOptions.line("L-BFGS")
        var model = try TopicModel.train(corpus, options: options, encoder: encoder) { step in
            switch step {
            case .vectorizing(let documents): vectorising.update("\(documents) papers…")
            case .vectorized(let documents, let terms): vectorising.finish("\(documents) papers, \(terms) terms")
            case .fitting(let evaluation, let loss): fitting.update(String(format: "evaluation %d, loss %.6g", evaluation, loss))
            }
        }
        if let summary = model.metadata.iterations { fitting.finish("\(summary) iterations") }
        if model.metadata.iterations == 0 && !allowNoProgress {
            throw CLIError("the fit made no progress (0 L-BFGS iterations): the gradient at the start is already below --tol \(options.tol), so every paper would get the same probabilities; raise --C (now \(options.C)) or lower --tol, or pass --allow-no-progress to keep such a model; nothing was written")
        }
        if let crossValidation { model.adopt(crossValidation) }
        // The model and the learning curve together: a run that fails writes neither.
        if let learningCurve { try OutputPath.createFolder(learningCurve) }
        try AtomicFile.writeAll([(outputURL, try model.encoded())] + curveFiles)
        if let learningCurve { logToStandardError("wrote \(LearningCurveFiles.names.joined(separator: ", ")) to \(learningCurve)") }
        var line = "wrote \(output ?? outputURL.path): \(model.options.classifier.rawValue), \(model.vectorizer.featureCount) terms, \(model.classes.count) classes"
        if let iterations = model.metadata.iterations { line += ", \(iterations) L-BFGS iterations" }
        if model.metadata.converged == false { line += " (not converged: raise --max-iter)" }
        logToStandardError(line)
    }

    /// True when the allowed labels are the profile's (`--labels profile`, or its old name `topics`).
    private var usesProfileLabels: Bool { labels == "profile" || labels == "topics" }

    private func allowedLabels(profile: DigestProfile?) throws -> [String]? {
        // Off-topic is always allowed beside the sections: papers labelled `o` in the labeller.
        if usesProfileLabels { return profile.map { $0.labels + [DigestProfile.offTopicLabel] } }
        if labels == "auto" { return nil }
        let list = labels.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard list.count >= 2, !list.contains("") else {
            throw ValidationError("--labels must be profile, auto, or at least two comma-separated labels; got \"\(labels)\".")
        }
        if let repeated = list.firstRepeated {
            throw ValidationError("--labels names \"\(repeated)\" twice; give each label once.")
        }
        return list
    }

    /// The grid's values of C (logistic regression) or alpha (naive Bayes): each a number in that option's
    /// range, none empty (`1,,2`) and none twice (a repeated cell would only cost a second cross-validation).
    private func parseValues(_ text: String) throws -> [Double] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        // Decimal numbers only: Double("0x10") would read hexadecimal.
        let decimal = items.allSatisfy { $0.allSatisfy { "0123456789.eE+-".contains($0) } }
        let values = decimal ? items.compactMap(Double.init) : []
        guard !items.isEmpty, values.count == items.count else {
            throw ValidationError("--grid-values must be comma-separated numbers, e.g. 1,10,100; got \"\(text)\".")
        }
        let (name, range) = training.classifier == .logreg ? ("C", TrainingOptions.Ranges.C) : ("alpha", TrainingOptions.Ranges.alpha)
        for value in values where !(value.isFinite && range.contains(value)) {
            throw ValidationError("--grid-values: each value of \(name) must be a finite number in \(OptionRanges.text(range)); got \(value).")
        }
        if let repeated = values.firstRepeated {
            throw ValidationError("--grid-values names \(repeated) twice; give each value once.")
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

    /// The corpus without exact duplicates (same id, or same text and label), with a warning naming them.
    static func droppingDuplicates(_ corpus: LabelledCorpus) -> LabelledCorpus {
        let (unique, report) = corpus.droppingDuplicates()
        logDroppedDuplicates(report)
        if let first = report.conflicting.first {
            logToStandardError("warning: \(report.conflicting.count) record(s) have the same text as another but a different label, e.g. \(first.origin) and \(first.otherOrigin); both kept, in the same cross-validation fold")
        }
        return unique
    }
}

private extension Array where Element: Equatable {
    /// The first element equal to an earlier one (a value a list option names twice), or nil.
    var firstRepeated: Element? { enumerated().first { self[..<$0.offset].contains($0.element) }?.element }
}
