import Classifiers
import TextFeatures

/// Everything that decides what `TopicModel.train` learns: the text the model reads, the TF-IDF
/// settings, the classifier and its hyper-parameters. Stored in the model file, so a model says how
/// it was made. The defaults are the shipped model's, chosen by cross-validation (Models/README.md).
public struct TrainingOptions: Codable, Equatable, Sendable {
    /// The kind of classifier trained on the features.
    public enum ClassifierKind: String, Codable, CaseIterable, Sendable {
        /// Multinomial logistic regression (softmax, L2, L-BFGS).
        case logreg
        /// Multinomial naive Bayes.
        case nb
        /// Complement naive Bayes.
        case cnb
    }

    public var classifier: ClassifierKind = .logreg
    public var vectorizer = TfidfOptions(minDF: .count(2), sublinearTF: true)
    /// Logistic regression: inverse L2 strength.
    public var C: Double = 30
    /// Naive Bayes: additive smoothing.
    public var alpha: Double = 0.1
    /// Logistic regression: weight classes by `n / (k · n_c)` (`balanced`) or not (`none`).
    public var classWeight: LogisticRegression.ClassWeight = .balanced
    /// Logistic regression: stop when every gradient component is at most this.
    public var tol: Double = 1e-4
    /// Logistic regression: L-BFGS iteration limit.
    public var maxIterations: Int = 1000
    /// How many times the title is read before the abstract (1 = `title + " " + abstract`); titles
    /// say what a paper is about more densely than abstracts, and cross-validation favours 2.
    public var titleRepeat: Int = 2
    /// Weight of the keyword rules' votes as extra features (0 = not used).
    public var keywordVoteWeight: Double = 0
    /// The keyword rules whose votes are features when ``keywordVoteWeight`` > 0 (one column per
    /// topic). Stored in the model file, so a model trained with votes carries its own rules;
    /// `TopicModel.train` drops them when the weight is 0, where they would change nothing.
    public var keywordRules: KeywordRules?
    /// Seeds everything random in training (cross-validation folds); same seed, same model.
    public var seed: UInt64 = 0
    /// A sentence embedding appended to each row (logistic regression only); nil = TF-IDF only,
    /// and then absent from the model header, so TF-IDF models are stored as before.
    public var embedding: EmbeddingOptions?

    public init() {}

    /// The allowed ranges of the options, shown by `--help` and enforced by `validate()`.
    public enum Ranges {
        public static let C = 1e-4...1e6
        public static let alpha = 1e-10...1e3
        public static let tol = 1e-12...1.0
        public static let maxIterations = 1...100_000
        public static let keywordVoteWeight = 0.0...100
        public static let titleRepeat = 1...10
        public static let ngramMax = 5
        public static let maxFeatures = 1...10_000_000
        /// The embedding's scale against a unit-length TF-IDF row: far past 1e3 the features overflow the loss's
        /// first step, and a fit that cannot move would be blamed on --tol.
        public static let embeddingWeight = 1e-6...1e3
    }

    /// Checks every option's range; the message names the option as the CLI spells it.
    public func validate() throws {
        let fail = Self.outOfRange
        try validateFeatureOptions(naming: .commandLine)
        // Bounds where the arithmetic stays meaningful: below C 1e-4 the penalty swamps the data (a
        // C of 1e-300 stops at iteration 0 with every probability 1/k); alpha 0 gives log 0 for unseen terms.
        guard Self.Ranges.C.contains(C), C.isFinite else { throw fail("--C", C, "a finite number in \(Self.Ranges.C)") }
        guard Self.Ranges.alpha.contains(alpha), alpha.isFinite else { throw fail("--alpha", alpha, "a finite number in \(Self.Ranges.alpha)") }
        guard Self.Ranges.tol.contains(tol), tol.isFinite else { throw fail("--tol", tol, "a finite number in \(Self.Ranges.tol)") }
        guard Self.Ranges.maxIterations.contains(maxIterations) else { throw fail("--max-iter", maxIterations, "in \(Self.Ranges.maxIterations)") }
    }

    /// The error for an option outside its range, the option named as the message should spell it.
    private static func outOfRange(_ option: String, _ value: Any, _ requirement: String) -> TrainingError {
        .optionOutOfRange(option: option, value: "\(value)", requirement: requirement)
    }

    /// How an option is named in an error: as the command line spells it, or as a model file's header stores it.
    public enum OptionNaming: Sendable {
        case commandLine, modelFile
    }

    /// Checks the options that decide how a paper becomes a feature row: what predicting reads, so a
    /// model file's header is checked with these before its model is used (a title repeat of -1 traps,
    /// one of 10^9 allocates gigabytes). The training-only options (C, alpha, tol, max-iter) are not
    /// read again once the model exists, so a model file is not refused for them.
    public func validateFeatureOptions(naming: OptionNaming) throws {
        func fail(_ option: String, _ field: String, _ value: Any, _ requirement: String) -> TrainingError {
            Self.outOfRange(naming == .commandLine ? option : "options.\(field)", value, requirement)
        }
        do { try vectorizer.validate() } catch { throw TrainingError.vectorizer(error) }
        // MAX is bounded: every extra n-gram length multiplies the terms counted (1,50 reached 8.8 GB).
        guard vectorizer.ngramRange.upperBound <= Self.Ranges.ngramMax else {
            throw fail("--ngram-range", "vectorizer.ngramRange", "\(vectorizer.ngramRange.lowerBound),\(vectorizer.ngramRange.upperBound)",
                       "MIN,MAX with 1 ≤ MIN ≤ MAX ≤ \(Self.Ranges.ngramMax)")
        }
        guard Self.Ranges.titleRepeat.contains(titleRepeat) else {
            throw fail("--title-repeat", "titleRepeat", titleRepeat, "between \(Self.Ranges.titleRepeat.lowerBound) and \(Self.Ranges.titleRepeat.upperBound)")
        }
        guard Self.Ranges.keywordVoteWeight.contains(keywordVoteWeight), keywordVoteWeight.isFinite else {
            throw fail("--keyword-votes", "keywordVoteWeight", keywordVoteWeight, "a finite number in \(Self.Ranges.keywordVoteWeight)")
        }
        if let embedding {
            guard classifier == .logreg else {
                throw fail("--embedding", "embedding", embedding.kind.rawValue, "none with --classifier \(classifier.rawValue): naive Bayes needs counts, and an embedding has none")
            }
            // The upper bound is for new fits; a model file trained before it had one still reads.
            let range = naming == .commandLine ? Self.Ranges.embeddingWeight : Double.leastNonzeroMagnitude...Double.greatestFiniteMagnitude
            guard range.contains(embedding.weight), embedding.weight.isFinite else {
                throw fail("--embedding-weight", "embedding.weight", embedding.weight,
                           naming == .commandLine ? "a finite number in \(Self.Ranges.embeddingWeight)" : "a finite number > 0")
            }
        }
    }

    /// Checks that keyword votes have rules to vote with. Apart from ``validate()`` because the
    /// rules come from a profile, which a command line reads after checking its options.
    public func validateKeywordVotes() throws {
        if keywordVoteWeight > 0 && (keywordRules?.isEmpty ?? true) {
            throw TrainingError.optionOutOfRange(option: "--keyword-votes", value: "\(keywordVoteWeight)",
                                                 requirement: "0 when there are no keyword rules (give a profile whose sections have keywords)")
        }
    }
}

extension LogisticRegression.ClassWeight: Codable {}
