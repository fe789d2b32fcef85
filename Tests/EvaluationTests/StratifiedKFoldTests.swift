import SeededRandom
import Evaluation
import Testing

@Suite("SplitMix64 and StratifiedKFold")
struct StratifiedKFoldTests {
    @Test("SplitMix64 gives the reference sequence for seed 0")
    func splitMixReference() {
        var rng = SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test("shuffle is a seeded permutation")
    func shuffle() {
        var a = Array(0..<50), b = Array(0..<50)
        var r1 = SplitMix64(seed: 3), r2 = SplitMix64(seed: 3)
        r1.shuffle(&a)
        r2.shuffle(&b)
        #expect(a == b)
        #expect(a.sorted() == Array(0..<50))
        #expect(a != Array(0..<50))
    }

    static let labels: [String] = (0..<103).map { i in i % 7 == 0 ? "rare" : (i % 3 == 0 ? "b" : "a") }

    @Test("folds partition the samples, keep class proportions and balanced sizes", arguments: [2, 5, 10])
    func foldProperties(k: Int) throws {
        let folds = try StratifiedKFold.split(labels: Self.labels, folds: k, seed: 42)
        #expect(folds.count == k)
        let allTest = folds.flatMap(\.test).sorted()
        #expect(allTest == Array(Self.labels.indices))
        for fold in folds {
            #expect(Set(fold.train).isDisjoint(with: fold.test))
            #expect(fold.train.count + fold.test.count == Self.labels.count)
            for label in Set(Self.labels) {
                let whole = Double(Self.labels.filter { $0 == label }.count) / Double(k)
                let inFold = Double(fold.test.filter { Self.labels[$0] == label }.count)
                #expect(abs(inFold - whole) < 1, "\(label) in a fold of \(k)")
            }
        }
        let sizes = folds.map(\.test.count)
        #expect(sizes.max()! - sizes.min()! <= 1)
    }

    @Test("same seed, same folds; another seed, other folds")
    func determinism() throws {
        let a = try StratifiedKFold.split(labels: Self.labels, folds: 5, seed: 1)
        #expect(a == (try StratifiedKFold.split(labels: Self.labels, folds: 5, seed: 1)))
        #expect(a != (try StratifiedKFold.split(labels: Self.labels, folds: 5, seed: 2)))
    }

    @Test("fold count must be between 2 and the sample count")
    func invalidFolds() {
        #expect(throws: EvaluationError.invalidFoldCount(folds: 1, samples: 3)) {
            try StratifiedKFold.split(labels: ["a", "b", "a"], folds: 1, seed: 0)
        }
        #expect(throws: EvaluationError.invalidFoldCount(folds: 4, samples: 3)) {
            try StratifiedKFold.split(labels: ["a", "b", "a"], folds: 4, seed: 0)
        }
    }
}
