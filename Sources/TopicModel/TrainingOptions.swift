import Classifiers
import TextFeatures

/// Everything that decides what `TopicModel.train` learns: the text the model reads, the TF-IDF
/// settings, the classifier and its hyper-parameters. Stored in the model file, so a model says how
/// it was made. The defaults are the shipped model's, chosen by cross-validation (Models/README.md).
public struct TrainingOptions: Codable, Equatable, Sendable {
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

    public init() {}

    /// Checks every option's range; the message names the option as the CLI spells it.
    public func validate() throws {
        func fail(_ option: String, _ value: Any, _ requirement: String) -> TrainingError {
            .optionOutOfRange(option: option, value: "\(value)", requirement: requirement)
        }
        do { try vectorizer.validate() } catch { throw TrainingError.vectorizer(error) }
        guard C > 0, C.isFinite else { throw fail("--C", C, "a finite number > 0") }
        guard alpha >= 0, alpha.isFinite else { throw fail("--alpha", alpha, "a finite number ≥ 0") }
        guard tol > 0, tol.isFinite else { throw fail("--tol", tol, "a finite number > 0") }
        guard maxIterations >= 1 else { throw fail("--max-iter", maxIterations, "≥ 1") }
        guard (1...10).contains(titleRepeat) else { throw fail("--title-repeat", titleRepeat, "between 1 and 10") }
        guard keywordVoteWeight >= 0, keywordVoteWeight.isFinite else {
            throw fail("--keyword-votes", keywordVoteWeight, "a finite number ≥ 0")
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
