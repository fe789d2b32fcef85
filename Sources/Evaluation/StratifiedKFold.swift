import SeededRandom

/// One cross-validation fold: sample indices to train on and to test on, each sorted.
public struct Fold: Equatable, Sendable {
    public let train: [Int]
    public let test: [Int]
}

/// Seeded stratified k-fold splitting.
///
/// Algorithm: take the classes in sorted order; for each, shuffle its sample indices with a
/// ``SplitMix64`` seeded once with `seed` (one generator for the whole split) and deal them
/// round-robin to the folds, continuing from the fold where the previous class stopped. So each
/// class has ⌊n_c/k⌋ or ⌈n_c/k⌉ samples in every test fold (its proportion there is within one
/// sample of the whole's), fold sizes differ by at most one, and every sample is in exactly one
/// test fold. The same labels, `folds` and `seed` always give the same folds.
public enum StratifiedKFold {
    /// Splits the samples whose labels are `labels` into `folds` folds.
    /// - Throws: ``EvaluationError/invalidFoldCount(folds:samples:)`` unless 2 ≤ folds ≤ labels.count.
    public static func split(labels: [String], folds: Int, seed: UInt64) throws -> [Fold] {
        guard folds >= 2, folds <= labels.count else {
            throw EvaluationError.invalidFoldCount(folds: folds, samples: labels.count)
        }
        var byClass: [String: [Int]] = [:]
        for (index, label) in labels.enumerated() { byClass[label, default: []].append(index) }
        var generator = SplitMix64(seed: seed)
        var testSets = Array(repeating: [Int](), count: folds)
        var nextFold = 0
        for label in byClass.keys.sorted() {
            var indices = byClass[label]!
            generator.shuffle(&indices)
            for index in indices {
                testSets[nextFold].append(index)
                nextFold = (nextFold + 1) % folds
            }
        }
        return testSets.map { test in
            let testSet = Set(test)
            return Fold(train: labels.indices.filter { !testSet.contains($0) }, test: test.sorted())
        }
    }
}
