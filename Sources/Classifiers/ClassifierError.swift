/// Why a classifier could not be trained, restored or applied.
public enum ClassifierError: Error, Equatable, CustomStringConvertible {
    /// The training matrix has no rows or no columns.
    case emptyMatrix(rowCount: Int, columnCount: Int)
    /// Training needs this many class names at least.
    case tooFewClasses(count: Int, minimum: Int)
    /// The label list and the matrix rows differ in number.
    case labelCountMismatch(labelCount: Int, rowCount: Int)
    /// A label is not an index into the class names.
    case labelOutOfRange(row: Int, label: Int, classCount: Int)
    /// A class has no training example, so its parameters are undefined.
    case classWithoutExamples(classIndex: Int, className: String)
    /// A matrix entry is negative where the model needs counts or frequencies (naive Bayes).
    case negativeFeatureValue(row: Int, column: Int, value: Double)
    /// An option is outside its allowed range, e.g. `C` ≤ 0.
    case optionOutOfRange(option: String, value: Double, requirement: String)
    /// A matrix to score has a different number of columns than the model was trained on.
    case featureCountMismatch(expected: Int, actual: Int)
    /// A fitted parameter given to a restoring initialiser has the wrong shape.
    case parameterShapeMismatch(parameter: String, expected: String, actual: String)
    /// A row's scores overflowed to infinity or NaN, so it has no probabilities.
    case nonFiniteScores(row: Int)

    public var description: String {
        switch self {
        case .emptyMatrix(let rows, let columns):
            "training matrix is empty (\(rows) rows × \(columns) columns)"
        case .tooFewClasses(let count, let minimum):
            "\(count) class name(s) given; at least \(minimum) needed"
        case .labelCountMismatch(let labels, let rows):
            "\(labels) labels for a matrix of \(rows) rows"
        case .labelOutOfRange(let row, let label, let classCount):
            "label \(label) of row \(row) is not an index into the \(classCount) classes"
        case .classWithoutExamples(let index, let name):
            "class \(index) (\"\(name)\") has no training example"
        case .negativeFeatureValue(let row, let column, let value):
            "negative feature value \(value) at row \(row), column \(column); naive Bayes needs non-negative features"
        case .optionOutOfRange(let option, let value, let requirement):
            "option \(option) = \(value) is out of range: it must be \(requirement)"
        case .featureCountMismatch(let expected, let actual):
            "matrix has \(actual) feature columns, the model expects \(expected)"
        case .parameterShapeMismatch(let parameter, let expected, let actual):
            "parameter \(parameter) has shape \(actual), expected \(expected)"
        case .nonFiniteScores(let row):
            "the scores of row \(row) are not finite (the weights or feature values are too large), so it has no probabilities"
        }
    }
}
