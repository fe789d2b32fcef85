import Classifiers
import Foundation
import LinearAlgebra
import Testing

/// Each classifier against scikit-learn 1.9.1 on the same TF-IDF matrix (built by sklearn's TfidfVectorizer),
/// evaluated on the training matrix itself.
@Suite("scikit-learn parity")
struct SklearnParityTests {
    enum Case: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case topicsDefault = "topics default"
        case topicsBigrams = "topics bigrams"
        case arxivDefault = "arxiv5000 default"
        case arxivSmall = "arxiv1000 default"
        var testDescription: String { rawValue }

        /// Loaded once per test run (a static `let` initialises once, thread-safely), shared by both tests.
        var fixture: SklearnFixture {
            get throws {
                switch self {
                case .topicsDefault: try Self.topicsDefaultFixture.get()
                case .topicsBigrams: try Self.topicsBigramsFixture.get()
                case .arxivDefault: try Self.arxivDefaultFixture.get()
                case .arxivSmall: try Self.arxivSmallFixture.get()
                }
            }
        }
        static let topicsDefaultFixture = Result { try SklearnFixture(dataset: "topics", variant: "default") }
        static let topicsBigramsFixture = Result { try SklearnFixture(dataset: "topics", variant: "bigrams") }
        static let arxivDefaultFixture = Result { try SklearnFixture(dataset: "arxiv5000", variant: "default") }
        static let arxivSmallFixture = Result { try SklearnFixture(dataset: "arxiv1000", variant: "default") }

    }

    // Naive Bayes is cheap, so it is checked on 5,000 arXiv rows (70 classes). Logistic regression on arXiv uses
    // the first 1,000 rows (59 classes, 14,135 terms): the debug-built fit at tol 1e-10 on 5,000 rows × 70 classes
    // took over 600 s on a loaded machine.
    @Test("naive Bayes log-probabilities within 1e-9 of sklearn", arguments: [Case.topicsDefault, .topicsBigrams, .arxivDefault])
    func naiveBayes(_ testCase: Case) throws {
        let fixture = try testCase.fixture
        let models = fixture.meta.models.filter { $0.kind != "logisticRegression" }
        #expect(models.count >= 2)
        for model in models {
            let alpha = try #require(model.options.alpha)
            let classifier: any Classifier = model.kind == "multinomialNB"
                ? try MultinomialNB(training: fixture.matrix, labels: fixture.labels, classes: fixture.meta.classes, alpha: alpha)
                : try ComplementNB(training: fixture.matrix, labels: fixture.labels, classes: fixture.meta.classes,
                                   alpha: alpha, norm: model.options.norm == true)
            let ours = try classifier.predictLogProbabilities(fixture.matrix)
            let theirs = try fixture.output(model)
            let difference = Self.maxAbsoluteDifference(ours, theirs)
            let agreement = Self.agreement(try classifier.predict(fixture.matrix), try fixture.predictions(model))
            print("parity \(testCase.rawValue) \(model.name): max |Δ log p| = \(difference), same label \(agreement * 100)%")
            #expect(difference <= 1e-9, "\(model.name)")
            #expect(agreement >= 0.999, "\(model.name)")
        }
    }

    @Test("logistic regression probabilities within 1e-4 of sklearn (tol 1e-10)", arguments: [Case.topicsDefault, .topicsBigrams, .arxivSmall])
    func logisticRegression(_ testCase: Case) throws {
        let fixture = try testCase.fixture
        let models = fixture.meta.models.filter { $0.kind == "logisticRegression" && $0.options.tol == nil }
        #expect(!models.isEmpty)
        for model in models {
            let start = Date()
            let classifier = try LogisticRegression(
                training: fixture.matrix, labels: fixture.labels, classes: fixture.meta.classes,
                C: try #require(model.options.C), tol: 1e-10, maxIterations: 10_000,
                classWeight: model.options.balanced == true ? .balanced : .none)
            let seconds = Date().timeIntervalSince(start)
            let ours = try classifier.predictProbabilities(fixture.matrix)
            let theirs = try fixture.output(model)
            let difference = Self.maxAbsoluteDifference(ours, theirs)
            let agreement = Self.agreement(try classifier.predict(fixture.matrix), try fixture.predictions(model))
            let summary = try #require(classifier.fitSummary)
            print("parity \(testCase.rawValue) \(model.name): max |Δ p| = \(difference), same label \(agreement * 100)%,"
                  + " \(summary.iterations) iterations (sklearn \(model.iterations ?? -1)), stop \(summary.stop), fit \(seconds) s")
            #expect(summary.converged, "\(model.name): \(summary.stop)")
            #expect(difference <= 1e-4, "\(model.name)")
            #expect(agreement >= 0.999, "\(model.name)")
        }
    }

    /// At scikit-learn's own `tol` 1e-4 (and a `max_iter` that may stop it first) the fit ends well before the
    /// optimum, where the path taken decides the model: L-BFGS's line search, first step and pair updates are
    /// L-BFGS-B's (`LBFGS`), so the fit stops at scikit-learn's iteration with the same probabilities but for
    /// rounding (the two-loop recursion and L-BFGS-B's compact form differ in the last bits).
    @Test("logistic regression stopped early takes sklearn's path: its iteration count, probabilities within 1e-6",
          arguments: [Case.topicsDefault, .arxivSmall])
    func logisticRegressionPath(_ testCase: Case) throws {
        let fixture = try testCase.fixture
        let models = fixture.meta.models.filter { $0.kind == "logisticRegression" && $0.options.tol != nil }
        #expect(!models.isEmpty)
        for model in models {
            let classifier = try LogisticRegression(
                training: fixture.matrix, labels: fixture.labels, classes: fixture.meta.classes,
                C: try #require(model.options.C), tol: try #require(model.options.tol),
                maxIterations: try #require(model.options.max_iter))
            let ours = try classifier.predictProbabilities(fixture.matrix)
            let difference = Self.maxAbsoluteDifference(ours, try fixture.output(model))
            let summary = try #require(classifier.fitSummary)
            print("parity path \(testCase.rawValue) \(model.name): max |Δ p| = \(difference),"
                  + " \(summary.iterations) iterations (sklearn \(model.iterations ?? -1)), stop \(summary.stop)")
            #expect(summary.iterations == model.iterations, "\(model.name)")
            #expect(difference <= 1e-6, "\(model.name)")
            #expect(try classifier.predict(fixture.matrix) == (try fixture.predictions(model)), "\(model.name)")
        }
    }

    static func maxAbsoluteDifference(_ a: DenseMatrix, _ b: DenseMatrix) -> Double {
        precondition(a.rowCount == b.rowCount && a.columnCount == b.columnCount)
        return zip(a.values, b.values).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    static func agreement(_ a: [Int], _ b: [Int]) -> Double {
        Double(zip(a, b).filter { $0 == $1 }.count) / Double(max(a.count, 1))
    }
}
