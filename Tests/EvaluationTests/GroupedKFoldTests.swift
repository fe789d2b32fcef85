import Evaluation
import Testing

@Suite("StratifiedKFold with groups")
struct GroupedKFoldTests {
    static let labels: [String] = (0..<60).map { i in i % 3 == 0 ? "b" : "a" }

    @Test("distinct group keys give exactly the ungrouped folds")
    func distinctKeys() throws {
        let grouped = try StratifiedKFold.split(labels: Self.labels, groups: Self.labels.indices.map(String.init), folds: 5, seed: 7)
        #expect(grouped == (try StratifiedKFold.split(labels: Self.labels, folds: 5, seed: 7)))
    }

    @Test("samples sharing a key always land in the same test fold, and every sample is tested once")
    func sharedKeysTogether() throws {
        // Samples i and i + 30 share a key (a duplicated text).
        let groups = Self.labels.indices.map { String($0 % 30) }
        let folds = try StratifiedKFold.split(labels: Self.labels, groups: groups, folds: 5, seed: 7)
        #expect(folds.flatMap(\.test).sorted() == Array(Self.labels.indices))
        for fold in folds {
            let test = Set(fold.test)
            for index in fold.test { #expect(test.contains((index + 30) % 60), "twin of \(index) is in another fold") }
            #expect(Set(fold.train).isDisjoint(with: test))
        }
    }
}
