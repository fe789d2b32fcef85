import ArxivFeed

extension LabelledCorpus {
    /// What `droppingDuplicates()` removed, for the warning the CLI prints.
    public struct DuplicateReport: Sendable {
        /// `file:line` of each dropped record, beside the `file:line` of the record it repeats.
        public var dropped: [(origin: String, keptOrigin: String)]
        /// Pairs of records with the same text but different labels: both kept, and kept in one CV fold.
        public var conflicting: [(origin: String, otherOrigin: String)]
        /// Dropped records (also in `dropped`) whose paper the kept record labels differently: the later label,
        /// which is not used, beside the kept one.
        public var relabelled: [(origin: String, label: String, keptOrigin: String, keptLabel: String)] = []
    }

    /// The text a record is compared by: title and abstract, lower-cased, runs of white space made one space.
    static func normalisedText(_ paper: Paper) -> String {
        (paper.title + " " + paper.abstract).lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The corpus without exact duplicates: a record whose id (versions aside: `2202.12139v2` is `2202.12139`, as
    /// the paper library keeps papers), or whose normalised text and label, was already seen is dropped (the
    /// first is kept). Duplicates inflate cross-validation scores (a record is judged by a
    /// model trained on its twin) and weigh a paper twice. Records with the same text but different labels are
    /// kept and reported; `groupKeys` keeps them in one fold.
    public func droppingDuplicates() -> (corpus: LabelledCorpus, report: DuplicateReport) {
        var byID: [String: Int] = [:]
        var byText: [String: Int] = [:]
        var keep: [Int] = []
        var report = DuplicateReport(dropped: [], conflicting: [])
        for (index, paper) in papers.enumerated() {
            let text = Self.normalisedText(paper), id = Paper.idWithoutVersion(paper.id)
            if let first = byID[id] {
                report.dropped.append((origins[index], origins[first]))
                if labels[index] != labels[first] {
                    report.relabelled.append((origins[index], labels[index], origins[first], labels[first]))
                }
                continue
            }
            if let first = byText[text] {
                if labels[first] == labels[index] {
                    report.dropped.append((origins[index], origins[first]))
                    continue
                }
                report.conflicting.append((origins[index], origins[first]))
            } else {
                byText[text] = index
            }
            byID[id] = index
            keep.append(index)
        }
        return (keep.count == papers.count ? self : subset(keep), report)
    }

    /// One key per record; records with the same normalised text share it, so cross-validation can keep them
    /// in the same fold.
    public var groupKeys: [String] { papers.map(Self.normalisedText) }
}
