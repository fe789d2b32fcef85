import Classifiers
import TextFeatures

/// Why a training set or its options cannot make a model. Each message names the file, line and
/// field where one is at fault, and says what would fix it.
public enum TrainingError: Error, CustomStringConvertible {
    case optionOutOfRange(option: String, value: String, requirement: String)
    case vectorizer(TfidfError)
    /// `place` is `file:line`, or `library: paper ID` for a paper library's record.
    case missingLabel(place: String)
    case emptyLabel(place: String)
    /// The class order given to training names a class twice, or misses a label of the data.
    case invalidClassOrder(classes: [String], problem: String)
    case unknownLabel(place: String, label: String, allowed: [String])
    case emptyText(place: String)
    case noRecords(sources: [String])
    case tooFewClasses(found: [String])
    case classTooSmall(label: String, count: Int, needed: Int, firstLine: String, purpose: String?)
    /// Cross-validation fold `fold` of `folds` would train on `kept` of the class's `total` papers (fewer than two).
    case foldClassTooSmall(label: String, fold: Int, folds: Int, kept: Int, total: Int)
    /// Training produced a NaN, infinite or huge number in `what`; `fix` names the option to change.
    case nonFiniteModel(what: String, fix: String)

    public var description: String {
        switch self {
        case let .optionOutOfRange(option, value, requirement):
            return "option \(option) is \(value); it must be \(requirement)"
        case let .vectorizer(error):
            return "TF-IDF options: \(error)"
        case let .missingLabel(place):
            return "\(place): field \"label\" is missing; every labelled record needs one"
        case let .emptyLabel(place):
            return "\(place): field \"label\" is empty; give the record its class name"
        case let .invalidClassOrder(classes, problem):
            return "the class order \(classes) \(problem)"
        case let .unknownLabel(place, label, allowed):
            return "\(place): field \"label\": \"\(label)\" is not one of \(allowed.joined(separator: ", "))"
        case let .emptyText(place):
            return "\(place): fields \"title\" and \"abstract\" are both empty; there is nothing to learn from"
        case let .noRecords(sources):
            return "no records in \(sources.joined(separator: ", "))"
        case let .tooFewClasses(found):
            return "the data has \(found.count) label(s) (\(found.joined(separator: ", "))); a classifier needs at least two"
        case let .nonFiniteModel(what, fix):
            return "training produced non-finite or huge \(what) (NaN, infinity, or beyond ±\(ParameterLimit.magnitudeText)), which would give null or arbitrary probabilities; \(fix)"
        case let .classTooSmall(label, count, needed, firstLine, purpose):
            return "class \"\(label)\" has \(count) example(s) (first at \(firstLine)); it needs at least \(needed)" + (purpose.map { " " + $0 } ?? "")
        case let .foldClassTooSmall(label, fold, folds, kept, total):
            return "cross-validation fold \(fold) of \(folds) would train on \(kept) of the \(total) papers of class \"\(label)\" (papers with the same text stay in one fold); a class needs two to be learnt: use fewer folds or label more papers of it"
        }
    }
}
