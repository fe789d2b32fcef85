import Foundation
import ArgumentParser
import Classifiers
import TextFeatures
import TopicModel

/// The training options, spelled after scikit-learn's where one exists. Defaults are the shipped model's.
struct TrainingOptionGroup: ParsableArguments {
    @Option(help: "The classifier: logreg (multinomial logistic regression), nb (multinomial naive Bayes) or cnb (complement naive Bayes).")
    var classifier: TrainingOptions.ClassifierKind = TrainingOptions().classifier

    @Option(help: ArgumentHelp("Word n-gram lengths, as MIN,MAX with 1 ≤ MIN ≤ MAX ≤ \(TrainingOptions.Ranges.ngramMax) (default: 1,1).", valueName: "min,max"))
    var ngramRange: String?

    @Option(help: "Ignore terms in fewer documents than this: a count (2) or a proportion (0.01).")
    var minDf: String = "2"

    @Option(help: "Ignore terms in more documents than this: a count or a proportion (1.0 = keep all).")
    var maxDf: String = "1.0"

    @Option(parsing: .unconditional, help: ArgumentHelp("Keep only this many terms, the most frequent, \(OptionRanges.text(TrainingOptions.Ranges.maxFeatures))."))
    var maxFeatures: Int?

    @Option(help: ArgumentHelp("Drop stop words before forming n-grams: none, or english (scikit-learn's 318-word list).", valueName: "none|english"))
    var stopWords: String = "none"

    @Option(help: "Term frequency as 1 + ln(tf): true or false.")
    var sublinearTf: Bool = true

    @Option(name: .customLong("C"), parsing: .unconditional, help: ArgumentHelp("Logistic regression: inverse L2 regularisation strength, \(OptionRanges.text(TrainingOptions.Ranges.C)) (default: \(TrainingOptions().C.helpText))."))
    var C: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Naive Bayes: additive smoothing, \(OptionRanges.text(TrainingOptions.Ranges.alpha)) (0 would give log 0 for unseen terms; default: \(TrainingOptions().alpha.helpText))."))
    var alpha: Double?

    @Option(help: "Logistic regression: class weights, none or balanced.")
    var classWeight: String = TrainingOptions().classWeight.rawValue

    @Option(parsing: .unconditional, help: ArgumentHelp("Logistic regression: L-BFGS iteration limit, \(OptionRanges.text(TrainingOptions.Ranges.maxIterations))."))
    var maxIter: Int = TrainingOptions().maxIterations

    @Option(parsing: .unconditional, help: ArgumentHelp("Logistic regression: stop when no gradient component exceeds this, \(OptionRanges.text(TrainingOptions.Ranges.tol))."))
    var tol: Double = TrainingOptions().tol

    @Option(parsing: .unconditional, help: ArgumentHelp("How many times the title is read before the abstract, \(OptionRanges.text(TrainingOptions.Ranges.titleRepeat))."))
    var titleRepeat: Int = TrainingOptions().titleRepeat

    @Option(parsing: .unconditional, help: ArgumentHelp("Weight of the keyword rules' votes as extra features, \(OptionRanges.text(TrainingOptions.Ranges.keywordVoteWeight)) (0 = off)."))
    var keywordVotes: Double = TrainingOptions().keywordVoteWeight

    @Option(parsing: .unconditional, help: "Seed for everything random (cross-validation folds).")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Append a sentence embedding to each TF-IDF row: none, or minilm (all-MiniLM-L6-v2; logistic regression only; needs the weight file, see `arxiv-digest encoder convert`).", valueName: "none|minilm"))
    var embedding: String = "none"

    @Option(parsing: .unconditional, help: ArgumentHelp("Scale of the unit-length embedding in each row, \(OptionRanges.text(TrainingOptions.Ranges.embeddingWeight)) (with --embedding; default \(EmbeddingOptions().weight))."))
    var embeddingWeight: Double?

    /// The options, or a validation error naming the option at fault.
    func trainingOptions() throws -> TrainingOptions {
        var options = TrainingOptions()
        options.classifier = classifier
        if let ngramRange { options.vectorizer.ngramRange = try parseNgramRange(ngramRange, option: "--ngram-range") }
        options.vectorizer.minDF = try parseDocumentFrequency(minDf, option: "--min-df")
        options.vectorizer.maxDF = try parseDocumentFrequency(maxDf, option: "--max-df")
        if let maxFeatures { try OptionRanges.check(maxFeatures, "--max-features", in: TrainingOptions.Ranges.maxFeatures) }
        options.vectorizer.maxFeatures = maxFeatures
        options.vectorizer.sublinearTF = sublinearTf
        if stopWords != "none" {
            guard let list = StopWordList(rawValue: stopWords) else {
                throw ValidationError("--stop-words must be none or english, got \"\(stopWords)\".")
            }
            options.vectorizer.stopWords = list
        }
        if let C { options.C = C }
        if let alpha { options.alpha = alpha }
        guard let weight = LogisticRegression.ClassWeight(rawValue: classWeight) else {
            throw ValidationError("--class-weight must be none or balanced, got \"\(classWeight)\".")
        }
        options.classWeight = weight
        options.maxIterations = maxIter
        options.tol = tol
        options.titleRepeat = titleRepeat
        options.keywordVoteWeight = keywordVotes
        options.seed = seed
        switch embedding {
        case "none":
            // A weight without an embedding would be silently ignored; say so instead.
            if embeddingWeight != nil { throw ValidationError("--embedding-weight needs --embedding minilm.") }
            options.embedding = nil
        default:
            guard let kind = EmbeddingOptions.Kind(rawValue: embedding) else {
                throw ValidationError("--embedding must be none or minilm, got \"\(embedding)\".")
            }
            options.embedding = EmbeddingOptions(kind: kind, weight: embeddingWeight ?? EmbeddingOptions().weight)
        }
        do { try options.validate() } catch { throw ValidationError("\(error)") }
        return options
    }

    func validate() throws { _ = try trainingOptions() }
}

extension TrainingOptions.ClassifierKind: ExpressibleByArgument {}

/// `1,2` → 1...2.
func parseNgramRange(_ text: String, option: String) throws -> ClosedRange<Int> {
    let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    // MAX is bounded: every extra n-gram length multiplies the terms counted (1,50 reached 8.8 GB).
    guard parts.count == 2, let low = parts[0], let high = parts[1], low >= 1, low <= high, high <= TrainingOptions.Ranges.ngramMax else {
        throw ValidationError("\(option) must be MIN,MAX with 1 ≤ MIN ≤ MAX ≤ \(TrainingOptions.Ranges.ngramMax), e.g. 1,2; got \"\(text)\".")
    }
    return low...high
}

/// sklearn's reading: an integer is a document count, a number with a point a proportion in [0, 1].
func parseDocumentFrequency(_ text: String, option: String) throws -> DocumentFrequencyBound {
    if let count = Int(text), count >= 1 { return .count(count) }
    if text.contains("."), let proportion = Double(text), proportion >= 0, proportion <= 1 { return .proportion(proportion) }
    throw ValidationError("\(option) must be a count ≥ 1 (e.g. 2) or a proportion in [0, 1] with a point (e.g. 0.5); got \"\(text)\".")
}

private extension Double {
    /// As `--help` shows a default: 30 as "30", 0.003 as "0.003".
    var helpText: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
