import ArxivFeed

extension LabelledCorpus {
    /// A corpus from papers that carry their labels (e.g. a paper library's labelled papers), with
    /// the same checks as ``load(files:allowedLabels:)``; `source` names them in messages.
    public static func from(labelledPapers papers: [Paper], source: String, allowedLabels: [String]?, classOrder: [String]? = nil) throws -> LabelledCorpus {
        var corpus = LabelledCorpus(papers: [], labels: [], origins: [], sources: [source], preferredClassOrder: classOrder ?? allowedLabels ?? [])
        for (index, paper) in papers.enumerated() {
            try corpus.append(checking: paper, source: source, line: index + 1, origin: "\(source): paper \(paper.id)",
                              allowedLabels: allowedLabels)
        }
        return corpus
    }

    /// This corpus followed by `other`'s records.
    public func appending(_ other: LabelledCorpus) -> LabelledCorpus {
        LabelledCorpus(papers: papers + other.papers, labels: labels + other.labels,
                       origins: origins + other.origins, sources: sources + other.sources, preferredClassOrder: preferredClassOrder)
    }
}
