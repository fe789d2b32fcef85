import ArxivFeed
import Foundation

/// A JSON Lines split as the classifiers see it: text = title + " " + abstract, and the label.
struct Split {
    var texts: [String]
    var labels: [String]

    init(texts: [String], labels: [String]) {
        self.texts = texts
        self.labels = labels
    }

    init(path: String) throws {
        var texts: [String] = [], labels: [String] = []
        let reader = try PaperJSONLReader(contentsOf: URL(fileURLWithPath: path))
        while let paper = try reader.next() {
            guard let label = paper.label else {
                throw BenchOptions.UsageError(description: "\(path):\(reader.lineNumber): record has no label")
            }
            texts.append(paper.classifierText)
            labels.append(label)
        }
        self.init(texts: texts, labels: labels)
    }

    var count: Int { texts.count }

    func prefix(_ n: Int) -> Split { Split(texts: Array(texts.prefix(n)), labels: Array(labels.prefix(n))) }

    func rows(_ indices: [Int]) -> Split {
        Split(texts: indices.map { texts[$0] }, labels: indices.map { labels[$0] })
    }
}

/// The same scores and folds as `bench_common.py`, so model selection is done alike in every system.
enum Scoring {
    /// Within each label, rows in file order go round-robin to the k folds.
    static func stratifiedFolds(_ labels: [String], k: Int) -> [Int] {
        var seen: [String: Int] = [:]
        return labels.map { label in
            let n = seen[label, default: 0]
            seen[label] = n + 1
            return n % k
        }
    }

    /// Unweighted mean F1 over the labels in truth or predictions (scikit-learn's default).
    static func macroF1(truth: [String], predicted: [String]) -> Double {
        var tp: [String: Int] = [:], fp: [String: Int] = [:], fn: [String: Int] = [:]
        let labels = Set(truth).union(predicted)
        for (t, p) in zip(truth, predicted) {
            if t == p { tp[t, default: 0] += 1 } else { fp[p, default: 0] += 1; fn[t, default: 0] += 1 }
        }
        guard !labels.isEmpty else { return 0 }
        var total = 0.0
        for label in labels {
            let denominator = 2 * tp[label, default: 0] + fp[label, default: 0] + fn[label, default: 0]
            if denominator > 0 { total += 2 * Double(tp[label, default: 0]) / Double(denominator) }
        }
        return total / Double(labels.count)
    }
}
