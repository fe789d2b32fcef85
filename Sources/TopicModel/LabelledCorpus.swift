import ArxivFeed
import Foundation
import ModelStore

/// Labelled papers read from JSON Lines files, checked for what training needs: every record has a
/// known label and some text, and every class has enough examples.
public struct LabelledCorpus: Sendable {
    public var papers: [Paper]
    /// `papers[i]`'s label.
    public var labels: [String]
    /// Where each record came from, `file:line`, for error messages.
    public var origins: [String]
    /// The files read, as given.
    public var sources: [String]
    /// Each paper's sentence embedding, when `embed(with:)` has run (kept by `subset`).
    public internal(set) var embeddings: [[Float]]?
    /// The encoder weights the embeddings came from.
    public internal(set) var embeddingsSHA256: String?
    /// The order ``classes()`` puts labels in (e.g. a digest's sections); labels not in it follow, sorted.
    public var preferredClassOrder: [String]

    public init(papers: [Paper], labels: [String], origins: [String], sources: [String], preferredClassOrder: [String] = []) {
        self.papers = papers
        self.labels = labels
        self.origins = origins
        self.sources = sources
        self.preferredClassOrder = preferredClassOrder
    }

    /// Reads every record of `files`.
    /// - Parameters:
    ///   - allowedLabels: the labels a record may carry; nil to accept any.
    ///   - classOrder: the preferred class order; by default `allowedLabels`, or none (sorted).
    public static func load(files: [URL], allowedLabels: [String]?, classOrder: [String]? = nil) throws -> LabelledCorpus {
        var corpus = LabelledCorpus(papers: [], labels: [], origins: [], sources: files.map(\.relativePath),
                                    preferredClassOrder: classOrder ?? allowedLabels ?? [])
        for file in files {
            let reader = try PaperJSONLReader(contentsOf: file, options: .keepingEveryRecord)
            while let paper = try reader.next() {
                let line = reader.lineNumber
                try corpus.append(checking: paper, origin: "\(reader.source):\(line)",
                                  allowedLabels: allowedLabels)
            }
        }
        if corpus.papers.isEmpty { throw TrainingError.noRecords(sources: corpus.sources) }
        return corpus
    }

    /// Adds `paper` and its label once it passes the checks of every labelled record: a label that is
    /// present, not empty and allowed (nil `allowedLabels`: any), and some text. `origin` names the record in
    /// errors and in the corpus: `file:line`, or `library: paper ID`.
    mutating func append(checking paper: Paper, origin: String, allowedLabels: [String]?) throws {
        guard let label = paper.label else { throw TrainingError.missingLabel(place: origin) }
        // An empty class name would be written into the model, which then cannot be read.
        guard !label.isEmpty else { throw TrainingError.emptyLabel(place: origin) }
        if let allowedLabels, !allowedLabels.contains(label) {
            throw TrainingError.unknownLabel(place: origin, label: label, allowed: allowedLabels)
        }
        if paper.title.allSatisfy(\.isWhitespace) && paper.abstract.allSatisfy(\.isWhitespace) {
            throw TrainingError.emptyText(place: origin)
        }
        papers.append(paper)
        labels.append(label)
        origins.append(origin)
    }

    /// The classes in a fixed order: ``preferredClassOrder`` first (those present), then the rest sorted.
    public func classes() -> [String] { classes(preferred: preferredClassOrder) }

    /// The classes in a fixed order: `preferred` first (those present), then the rest sorted.
    public func classes(preferred: [String]) -> [String] {
        let present = Set(labels)
        var listed = Set<String>()
        // A label given twice (a section labelled like a built-in class) is listed once: a class is one column.
        return preferred.filter { present.contains($0) && listed.insert($0).inserted } + present.subtracting(preferred).sorted()
    }

    /// Checks that there are at least two classes and each has at least `minimum` examples; `purpose` (e.g. "for
    /// 2-fold cross-validation") says why in the message.
    public func requireClassSizes(minimum: Int, purpose: String? = nil) throws {
        let classes = classes()
        guard classes.count >= 2 else { throw TrainingError.tooFewClasses(found: classes) }
        var counts: [String: Int] = [:]
        var firstOrigin: [String: String] = [:]
        for (label, origin) in zip(labels, origins) {
            counts[label, default: 0] += 1
            if firstOrigin[label] == nil { firstOrigin[label] = origin }
        }
        for label in classes where counts[label]! < minimum {
            throw TrainingError.classTooSmall(label: label, count: counts[label]!, needed: minimum, firstLine: firstOrigin[label]!, purpose: purpose)
        }
    }

    /// The records with the given indices (for cross-validation folds).
    public func subset(_ indices: [Int]) -> LabelledCorpus {
        var subset = LabelledCorpus(
            papers: indices.map { papers[$0] }, labels: indices.map { labels[$0] },
            origins: indices.map { origins[$0] }, sources: sources, preferredClassOrder: preferredClassOrder)
        if let embeddings {
            subset.embeddings = indices.map { embeddings[$0] }
            subset.embeddingsSHA256 = embeddingsSHA256
        }
        return subset
    }

    /// SHA-256 of what training reads (label, title, abstract of each record, in order), so a model
    /// names its data independently of file paths, key order or unused fields.
    public var contentHash: String {
        var hasher = SHA256()
        for (paper, label) in zip(papers, labels) {
            hasher.update(Array(label.utf8)); hasher.update([0x09])
            hasher.update(Array(paper.title.utf8)); hasher.update([0x09])
            hasher.update(Array(paper.abstract.utf8)); hasher.update([0x0A])
        }
        return hasher.finalize().hexString
    }
}
