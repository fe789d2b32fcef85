import ArxivFeed
import Foundation
import LinearAlgebra

/// Picks the unlabelled papers whose labels would teach the model most (uncertainty sampling):
/// those it is least sure about, most useful first, skipping near-duplicates of papers already
/// picked so one label is not spent twice on the same question.
public enum ReviewQueue {
    /// How uncertainty is measured.
    public enum Uncertainty: String, CaseIterable, Sendable {
        /// Top probability minus the second: small means torn between two classes.
        case margin
        /// Shannon entropy of the probabilities (nats): large means spread over many classes.
        case entropy
    }

    /// One picked paper.
    public struct Pick: Equatable, Sendable {
        /// Position in the input.
        public var index: Int
        public var paper: Paper
        /// The model's guess and its calibrated probabilities (columns in the model's class order).
        public var label: String
        public var probabilities: [Double]
        public var margin: Double
        public var entropy: Double
    }

    /// The default cap on the TF-IDF cosine similarity between two picks.
    public static let defaultSimilarityCap = 0.8

    /// Ranks `papers` by calibrated uncertainty and returns up to `count` of them.
    ///
    /// Candidates are taken in order of increasing margin (or decreasing entropy; ties by input
    /// order), and a candidate is skipped when the cosine similarity of its TF-IDF row to any paper
    /// already picked exceeds `similarityCap`.
    public static func rank(
        _ papers: [Paper], model: TopicModel, count: Int, by uncertainty: Uncertainty = .margin,
        similarityCap: Double = defaultSimilarityCap
    ) throws -> [Pick] {
        guard !papers.isEmpty, count > 0 else { return [] }
        let probabilities = try model.predictProbabilities(papers)
        var candidates: [Pick] = []
        candidates.reserveCapacity(papers.count)
        for (i, paper) in papers.enumerated() {
            let row = probabilities.row(i)
            let (margin, best) = Self.margin(row)
            candidates.append(Pick(index: i, paper: paper, label: model.classes[best], probabilities: row, margin: margin, entropy: Self.entropy(row)))
        }
        candidates.sort { a, b in
            let (x, y) = uncertainty == .margin ? (a.margin, b.margin) : (-a.entropy, -b.entropy)
            return x != y ? x < y : a.index < b.index
        }
        let rows = model.vectorizer.transform(papers.map { Features.document($0, options: model.options) })
        var picked: [Pick] = []
        var dense = [Double](repeating: 0, count: rows.columnCount)
        for candidate in candidates {
            if picked.count == count { break }
            let range = rows.entryRange(ofRow: candidate.index)
            var norm = 0.0
            for e in range { dense[Int(rows.columns[e])] = rows.values[e]; norm += rows.values[e] * rows.values[e] }
            let tooClose = picked.contains { cosine(rows, row: $0.index, dense: dense, norm: norm) > similarityCap }
            for e in range { dense[Int(rows.columns[e])] = 0 }
            if !tooClose { picked.append(candidate) }
        }
        return picked
    }

    /// Top probability minus the second, and the top's column (the first on ties).
    public static func margin(_ probabilities: [Double]) -> (margin: Double, best: Int) {
        var best = 0
        for c in probabilities.indices.dropFirst() where probabilities[c] > probabilities[best] { best = c }
        var second = -Double.infinity
        for c in probabilities.indices where c != best { second = max(second, probabilities[c]) }
        return (probabilities[best] - (second.isFinite ? second : 0), best)
    }

    /// −Σ p log p, in nats.
    public static func entropy(_ probabilities: [Double]) -> Double {
        -probabilities.reduce(0) { $0 + ($1 > 0 ? $1 * log($1) : 0) }
    }

    /// The TF-IDF cosine similarity of two papers (0 when either has no terms).
    public static func similarity(_ a: Paper, _ b: Paper, model: TopicModel) -> Double {
        let rows = model.vectorizer.transform([a, b].map { Features.document($0, options: model.options) })
        var dense = [Double](repeating: 0, count: rows.columnCount)
        var norm = 0.0
        for e in rows.entryRange(ofRow: 0) { dense[Int(rows.columns[e])] = rows.values[e]; norm += rows.values[e] * rows.values[e] }
        return cosine(rows, row: 1, dense: dense, norm: norm)
    }

    private static func cosine(_ rows: SparseMatrix, row: Int, dense: [Double], norm: Double) -> Double {
        var dot = 0.0, other = 0.0
        for e in rows.entryRange(ofRow: row) {
            dot += dense[Int(rows.columns[e])] * rows.values[e]
            other += rows.values[e] * rows.values[e]
        }
        // Rounding can put two identical rows a hair above 1; a cosine is at most 1, so a cap of 1 keeps every paper.
        return norm > 0 && other > 0 ? min(1, dot / (norm.squareRoot() * other.squareRoot())) : 0
    }
}
