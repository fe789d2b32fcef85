import ArxivFeed

extension LabelledCorpus {
    /// A corpus from papers that carry their labels (e.g. a paper library's labelled papers), with
    /// the same checks as ``load(files:allowedLabels:)``; `source` names them in messages.
    public static func from(labelledPapers papers: [Paper], source: String, allowedLabels: [String]?, classOrder: [String]? = nil) throws -> LabelledCorpus {
        var corpus = LabelledCorpus(papers: [], labels: [], origins: [], sources: [source], preferredClassOrder: classOrder ?? allowedLabels ?? [])
        for (index, paper) in papers.enumerated() {
            guard let label = paper.label else { throw TrainingError.missingLabel(source: source, line: index + 1) }
            guard !label.isEmpty else { throw TrainingError.emptyLabel(source: source, line: index + 1) }
            if let allowedLabels, !allowedLabels.contains(label) {
                throw TrainingError.unknownLabel(source: source, line: index + 1, label: label, allowed: allowedLabels)
            }
            if paper.title.allSatisfy(\.isWhitespace) && paper.abstract.allSatisfy(\.isWhitespace) {
                throw TrainingError.emptyText(source: source, line: index + 1)
            }
            corpus.papers.append(paper)
            corpus.labels.append(label)
            corpus.origins.append("\(source): paper \(paper.id)")
        }
        return corpus
    }

    /// This corpus followed by `other`'s records.
    public func appending(_ other: LabelledCorpus) -> LabelledCorpus {
        LabelledCorpus(papers: papers + other.papers, labels: labels + other.labels,
                       origins: origins + other.origins, sources: sources + other.sources, preferredClassOrder: preferredClassOrder)
    }
}
