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
    /// Splits the samples whose labels are `labels` into `folds` folds, keeping samples with the same group key
    /// in the same fold: the groups (each labelled by its first sample) are split as above, then each group's
    /// samples go where the group went. With every key distinct this is exactly `split(labels:folds:seed:)`.
    /// - Throws: ``EvaluationError/invalidFoldCount(folds:samples:)`` unless 2 ≤ folds ≤ the number of groups.
    public static func split(labels: [String], groups: [String], folds: Int, seed: UInt64) throws -> [Fold] {
        precondition(groups.count == labels.count, "one group key per sample")
        var groupOfKey: [String: Int] = [:]
        var members: [[Int]] = []
        for (index, key) in groups.enumerated() {
            if let group = groupOfKey[key] { members[group].append(index) } else {
                groupOfKey[key] = members.count
                members.append([index])
            }
        }
        if members.count == labels.count { return try split(labels: labels, folds: folds, seed: seed) }
        let groupFolds = try split(labels: members.map { labels[$0[0]] }, folds: folds, seed: seed)
        return groupFolds.map { fold in
            let test = fold.test.flatMap { members[$0] }.sorted()
            let testSet = Set(test)
            return Fold(train: labels.indices.filter { !testSet.contains($0) }, test: test)
        }
    }

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
