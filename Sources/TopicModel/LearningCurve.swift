import Evaluation
import SeededRandom
import SentenceEncoder

/// Cross-validated scores on growing shares of the training data: the curve that tells whether
/// more labels are likely to help (still rising at 100%) or not (flat).
public enum LearningCurve {
    /// The shares of the data the curve is measured at.
    public static let defaultFractions = [0.10, 0.25, 0.50, 0.75, 1.00]

    /// One measured point.
    public struct Point: Equatable, Sendable {
        public var fraction: Double
        public var papers: Int
        public var accuracy: Double
        public var macroF1: Double
    }

    /// For each fraction, a stratified subset of that share of each class (drawn with
    /// `options.seed`, each subset containing the smaller ones), cross-validated with `folds` folds.
    /// A fraction is skipped when its subset is too small to cross-validate: some class would leave
    /// a fold's training part with fewer than two papers.
    public static func run(
        _ corpus: LabelledCorpus, options: TrainingOptions, folds: Int, fractions: [Double] = defaultFractions,
        encoder: SentenceEncoder? = nil, progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> [Point] {
        // One seeded order per class; a subset takes the first share of each, so subsets nest.
        var random = SplitMix64(seed: options.seed)
        var byClass: [String: [Int]] = [:]
        for (i, label) in corpus.labels.enumerated() { byClass[label, default: []].append(i) }
        var orders: [(String, [Int])] = []
        for label in corpus.classes() {
            var indices = byClass[label]!
            random.shuffle(&indices)
            orders.append((label, indices))
        }
        var points: [Point] = []
        for (done, fraction) in fractions.enumerated() {
            defer { progress(done + 1, fractions.count) }
            let taken = orders.map { _, indices in Array(indices.prefix(max(1, Int((Double(indices.count) * fraction).rounded(.up))))) }
            guard taken.allSatisfy({ $0.count >= CrossValidation.minimumClassSize(folds: folds) }) else { continue }
            let subset = corpus.subset(taken.flatMap { $0 }.sorted())
            let result = try CrossValidation.run(subset, options: options, folds: folds, encoder: encoder)
            points.append(Point(fraction: fraction, papers: subset.papers.count, accuracy: result.metrics.accuracy, macroF1: result.metrics.macroF1))
        }
        return points
    }
}
