import ArxivFeed
import Classifiers
import LinearAlgebra

/// One term's push towards a class in one paper.
public struct TermContribution: Equatable, Sendable {
    public var term: String
    /// The term's feature value times how much more it favours the class than the average class.
    public var weight: Double
}

extension TopicModel {
    /// The terms that pushed each paper most towards `labels[i]` (typically its predicted label),
    /// strongest first. A term's push is its feature value times its score for that class minus its
    /// mean score over all classes, so terms every class likes equally count for nothing.
    public func explain(_ papers: [Paper], labels: [String], top: Int = 5) -> [[TermContribution]] {
        let x = features(papers)
        let scores = classifier.featureScores
        let k = scores.rowCount, d = scores.columnCount
        var meanScore = [Double](repeating: 0, count: d)
        for c in 0..<k { for j in 0..<d { meanScore[j] += scores.values[c * d + j] / Double(k) } }
        let vocabularySize = vectorizer.featureCount
        let voteNames = Features.voteColumnCount(options) > 0
            ? KeywordVoteNames.names(options.keywordRules) : []
        return papers.indices.map { row in
            guard let c = classes.firstIndex(of: labels[row]) else { return [] }
            var contributions: [TermContribution] = []
            for e in x.entryRange(ofRow: row) {
                let j = Int(x.columns[e])
                let push = x.values[e] * (scores.values[c * d + j] - meanScore[j])
                guard push > 0 else { continue }
                let name = j < vocabularySize ? vectorizer.vocabulary.term(atColumn: j) : voteNames[j - vocabularySize]
                contributions.append(TermContribution(term: name, weight: push))
            }
            // Strongest first; equal pushes in term order, so the output is deterministic.
            contributions.sort { ($0.weight, $1.term) > ($1.weight, $0.term) }
            return Array(contributions.prefix(top))
        }
    }
}

/// How the keyword-vote columns are named in explanations.
enum KeywordVoteNames {
    static func names(_ rules: KeywordRules?) -> [String] {
        (rules?.topics ?? []).map { "<keyword votes: \($0.label)>" }
    }
}
