import Classifiers
import Foundation

/// The command line shared with the Python anchors (`anchors/bench_common.py`): one system, one
/// train/test split, one process.
struct BenchOptions {
    enum Model: String, CaseIterable {
        case logreg, mnb, cnb
    }

    var train = ""
    var test: String?
    var model = Model.logreg
    var ngramMax = 1
    /// Candidates for the model's main setting (C for logistic regression, alpha for naive Bayes).
    var grid: [Double] = []
    var cvFolds = 3
    var cvMaxDocs = 10_000
    var predictions: String?
    var latencyDocs = 1000
    var fitOnly = false
    /// Only choose the setting by cross-validation (`run.py --tune`).
    var selectOnly = false
    var maxIterations = 100
    /// The L-BFGS memory of the logistic regression (scikit-learn's is 10), to measure what fewer
    /// history vectors save and cost.
    var lbfgsHistory = 10
    /// `--lbfgs-float32`: the history pairs in `Float`, to measure the memory that saves and what it costs.
    var lbfgsPrecision = LBFGS.HistoryPrecision.double
    /// `--precondition`: L-BFGS from the features' curvature diagonal instead of scikit-learn's identity, to
    /// measure what it saves and what it costs.
    var preconditioned = false
    /// Also time the one-pass limit: tokenise and hash-count the training texts, nothing else.
    var scanLimit = false
    /// How many times transform and end-to-end prediction are timed; the median is reported (one
    /// timing of a second or less moves with whatever else the shared cores run).
    var repeats = 1
    /// How many times the final classifier fit is timed (the same features, a fresh model each time);
    /// the median is reported. The logistic-regression fit's goal was decided by one timing that moved
    /// by a fifth within one run.
    var fitRepeats = 1

    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static let usage = """
        usage: arxiv-digest-bench --train FILE [--test FILE] --model logreg|mnb|cnb [--ngram-max 1|2]
                                  [--grid V,V,...] [--cv-folds K] [--cv-max-docs N] [--predictions FILE]
                                  [--latency-docs N] [--fit-only] [--select-only] [--max-iter N] [--lbfgs-history M] [--lbfgs-float32] [--precondition] [--scan-limit] [--repeats N] [--fit-repeats N] [--threads N (ignored)]
        """

    static func parse(_ arguments: [String]) throws -> BenchOptions {
        var options = BenchOptions()
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = rest.popFirst() else { throw UsageError(description: "\(flag) needs a value\n\(usage)") }
            return next
        }
        func integer(_ flag: String) throws -> Int {
            let text = try value(flag)
            guard let number = Int(text) else { throw UsageError(description: "\(flag): '\(text)' is not an integer") }
            return number
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--train": options.train = try value(flag)
            case "--test": options.test = try value(flag)
            case "--model":
                let text = try value(flag)
                guard let model = Model(rawValue: text) else {
                    throw UsageError(description: "--model: '\(text)' is not one of \(Model.allCases.map(\.rawValue))")
                }
                options.model = model
            case "--ngram-max": options.ngramMax = try integer(flag)
            case "--grid":
                let text = try value(flag)
                options.grid = try text.split(separator: ",").map {
                    guard let number = Double($0.trimmingCharacters(in: .whitespaces)) else {
                        throw UsageError(description: "--grid: '\($0)' is not a number")
                    }
                    return number
                }
            case "--cv-folds": options.cvFolds = try integer(flag)
            case "--cv-max-docs": options.cvMaxDocs = try integer(flag)
            case "--predictions": options.predictions = try value(flag)
            case "--latency-docs": options.latencyDocs = try integer(flag)
            case "--fit-only": options.fitOnly = true
            case "--scan-limit": options.scanLimit = true
            case "--select-only": options.selectOnly = true
            case "--max-iter": options.maxIterations = try integer(flag)
            case "--lbfgs-history": options.lbfgsHistory = try integer(flag)
            case "--lbfgs-float32": options.lbfgsPrecision = .float
            case "--precondition": options.preconditioned = true
            case "--repeats": options.repeats = try integer(flag)
            case "--fit-repeats": options.fitRepeats = try integer(flag)
            case "--threads": _ = try value(flag)  // ArxivDigest uses every core; accepted for a shared interface
            case "-h", "--help": throw UsageError(description: usage)
            default: throw UsageError(description: "unknown option \(flag)\n\(usage)")
            }
        }
        guard !options.train.isEmpty else { throw UsageError(description: "--train is required\n\(usage)") }
        guard options.fitOnly || options.selectOnly || options.test != nil else {
            throw UsageError(description: "--test is required unless --fit-only\n\(usage)")
        }
        guard (1...2).contains(options.ngramMax) else { throw UsageError(description: "--ngram-max must be 1 or 2") }
        guard options.cvFolds >= 2 else { throw UsageError(description: "--cv-folds must be at least 2") }
        guard options.repeats >= 1 else { throw UsageError(description: "--repeats must be at least 1") }
        guard options.fitRepeats >= 1 else { throw UsageError(description: "--fit-repeats must be at least 1") }
        return options
    }
}
