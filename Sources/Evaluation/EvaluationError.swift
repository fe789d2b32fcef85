/// Why metrics or splits could not be computed.
public enum EvaluationError: Error, Equatable, CustomStringConvertible {
    /// `truth` and `predicted` differ in length.
    case lengthMismatch(truth: Int, predicted: Int)
    /// There is nothing to evaluate or split.
    case empty
    /// `folds` must be at least 2 and at most the number of samples.
    case invalidFoldCount(folds: Int, samples: Int)
    /// A label order lists the same label twice.
    case duplicateLabel(String)

    public var description: String {
        switch self {
        case let .lengthMismatch(truth, predicted):
            return "\(truth) true labels but \(predicted) predictions"
        case .empty:
            return "no samples to evaluate"
        case let .invalidFoldCount(folds, samples):
            return "cannot make \(folds) folds from \(samples) samples (need 2 ≤ folds ≤ samples)"
        case let .duplicateLabel(label):
            return "label \"\(label)\" appears twice in the label order"
        }
    }
}
