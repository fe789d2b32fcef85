import ArxivFeed
import Classifiers
import LinearAlgebra
import TextFeatures

/// Turns papers into the feature rows a topic model reads.
enum Features {
    /// The text the vectoriser reads: the title `titleRepeat` times, then the abstract.
    static func document(_ paper: Paper, options: TrainingOptions) -> String {
        String(repeating: paper.title + " ", count: options.titleRepeat) + paper.abstract
    }

    /// Every paper's `document`, built on all cores (classify builds 2,048 per batch on its critical path).
    static func documents(_ papers: [Paper], options: TrainingOptions) -> [String] {
        guard papers.count >= 512 else { return papers.map { document($0, options: options) } }
        var texts = [String](repeating: "", count: papers.count)
        texts.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            Parallel.forEachChunk(of: papers.count, minimumSize: 256) { rows in
                for i in rows { slots[i] = document(papers[i], options: options) }
            }
        }
        return texts
    }

    /// How many columns the keyword votes add (one per keyword topic), or 0 when unused.
    static func voteColumnCount(_ options: TrainingOptions) -> Int {
        options.keywordVoteWeight > 0 ? options.keywordRules?.topics.count ?? 0 : 0
    }

    static func matrix(_ papers: [Paper], vectorizer: FittedTfidfVectorizer, options: TrainingOptions) -> SparseMatrix {
        let tfidf = vectorizer.transform(documents(papers, options: options))
        return appendingVotes(tfidf, papers: papers, options: options)
    }

    /// Appends the keyword rules' votes as extra columns: each topic's keyword hits divided by
    /// (1 + all hits), times the weight, so they stay on the scale of an L2-normalised row.
    static func appendingVotes(_ x: SparseMatrix, papers: [Paper], options: TrainingOptions) -> SparseMatrix {
        let extra = voteColumnCount(options)
        guard extra > 0, let rules = options.keywordRules else { return x }
        var offsets = [0], columns: [Int32] = [], values: [Double] = []
        columns.reserveCapacity(x.nonZeroCount + papers.count * extra)
        values.reserveCapacity(x.nonZeroCount + papers.count * extra)
        for (row, paper) in papers.enumerated() {
            let range = x.entryRange(ofRow: row)
            columns.append(contentsOf: x.columns[range])
            values.append(contentsOf: x.values[range])
            let scores = rules.scores(text: paper.classifierText)
            let total = Double(scores.reduce(0, +))
            for (topic, score) in scores.enumerated() where score > 0 {
                columns.append(Int32(x.columnCount + topic))
                values.append(options.keywordVoteWeight * Double(score) / (1 + total))
            }
            offsets.append(columns.count)
        }
        return SparseMatrix(rowCount: x.rowCount, columnCount: x.columnCount + extra,
                            rowOffsets: offsets, columns: columns, values: values)
    }
}
