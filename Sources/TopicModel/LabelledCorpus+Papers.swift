import ArxivFeed

extension LabelledCorpus {
    /// A corpus from papers that carry their labels (e.g. a paper library's labelled papers), with
    /// the same checks as ``load(files:allowedLabels:)``; `source` names them in messages.
    public static func from(labelledPapers papers: [Paper], source: String, allowedLabels: [String]?, classOrder: [String]? = nil) throws -> LabelledCorpus {
        var corpus = LabelledCorpus(papers: [], labels: [], origins: [], sources: [source], preferredClassOrder: classOrder ?? allowedLabels ?? [])
        for paper in papers {
            try corpus.append(checking: paper, origin: "\(source): paper \(paper.id)",
                              allowedLabels: allowedLabels)
        }
        return corpus
    }

    /// A record whose label a paper library changed: where it came from, its label there, and the library's.
    public struct Relabelling: Sendable {
        public let origin: String
        public let from: String
        public let to: String
    }

    /// This corpus with `library`'s labels in force: a record whose paper the library has a label for takes
    /// that label in place (the library holds the newest labels, the user's corrections, so they must win
    /// over a training file that still has the old one), and the library's records for papers already here
    /// are not added twice; the library's other records follow. Papers match by id without version.
    /// - Returns: the corpus, and each record whose label changed.
    public func overlaid(with library: LabelledCorpus) -> (corpus: LabelledCorpus, relabelled: [Relabelling]) {
        var libraryLabels: [String: String] = [:]
        for (paper, label) in zip(library.papers, library.labels) { libraryLabels[Paper.idWithoutVersion(paper.id)] = label }
        var corpus = self
        var relabelled: [Relabelling] = []
        var present = Set<String>()
        for (index, paper) in papers.enumerated() {
            let id = Paper.idWithoutVersion(paper.id)
            present.insert(id)
            guard let label = libraryLabels[id], label != labels[index] else { continue }
            relabelled.append(Relabelling(origin: origins[index], from: labels[index], to: label))
            corpus.labels[index] = label
        }
        let added = library.papers.indices.filter { !present.contains(Paper.idWithoutVersion(library.papers[$0].id)) }
        return (corpus.appending(library.subset(added)), relabelled)
    }

    /// This corpus followed by `other`'s records.
    public func appending(_ other: LabelledCorpus) -> LabelledCorpus {
        LabelledCorpus(papers: papers + other.papers, labels: labels + other.labels,
                       origins: origins + other.origins, sources: sources + other.sources, preferredClassOrder: preferredClassOrder)
    }
}
