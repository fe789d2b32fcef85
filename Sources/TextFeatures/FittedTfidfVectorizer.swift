import LinearAlgebra

/// A fitted `TfidfVectorizer`: its options, vocabulary (term → column, sorted by code point) and
/// idf weights. Everything a model file needs is `options`, `terms` and `idf`, and
/// `init(options:terms:idf:)` rebuilds an identical vectorizer from them.
public struct FittedTfidfVectorizer: Sendable {
    public let options: TfidfOptions
    public let vocabulary: Vocabulary
    /// One weight per column; nil when `options.useIDF` is false (sklearn then has no `idf_`).
    public let idf: [Double]?

    init(options: TfidfOptions, vocabulary: Vocabulary, idf: [Double]?) {
        self.options = options
        self.vocabulary = vocabulary
        self.idf = idf
    }

    /// What a fitted idf weight can be: `ln(n/df) + 1` (or its smoothed form) is at least 1, and stays below
    /// 100 for any count of documents. A stored weight outside it is a damaged file, and a huge one would
    /// overflow the rows' norms and give every paper the same probabilities.
    public static let idfRange = 1.0...100

    /// Rebuilds a fitted vectorizer from persisted state: `terms[i]` is column `i`'s term.
    public init(options: TfidfOptions, terms: [String], idf: [Double]?) throws(TfidfError) {
        try options.validate()
        if options.useIDF != (idf != nil) { throw .idfPresenceMismatch(useIDF: options.useIDF) }
        if let idf {
            if idf.count != terms.count { throw .idfCountMismatch(terms: terms.count, idf: idf.count) }
            if let bad = idf.firstIndex(where: { !$0.isFinite || !Self.idfRange.contains($0) }) { throw .invalidIDF(column: bad, value: idf[bad]) }
        }
        self.init(options: options, vocabulary: try Vocabulary(terms: terms), idf: idf)
    }

    /// The terms in column order, as persisted.
    public var terms: [String] { vocabulary.terms }

    /// The number of columns of `transform`'s matrices.
    public var featureCount: Int { vocabulary.count }

    var weighting: RowWeighting {
        RowWeighting(sublinearTF: options.sublinearTF, idf: idf, norm: options.norm)
    }

    /// The TF-IDF rows of `documents` (one row each, columns sorted; terms not in the vocabulary
    /// are ignored, so a row may be empty).
    public func transform(_ documents: [String]) -> SparseMatrix {
        let tokenizer = Tokenizer(lowercase: options.lowercase, stopWords: options.stopWords)
        let ngramRange = options.ngramRange
        let weighting = self.weighting
        let table = vocabulary.table
        let ranges = Parallel.chunks(of: documents.count, minimumSize: 256, maximumChunks: 8 * Parallel.coreCount)
        let blocks = Parallel.map(ranges.count) { c -> RowBlock in
            var block = RowBlock()
            // Room for one entry per 8 bytes of text per n-gram length (arXiv abstracts have one per
            // ~11 bytes of unigrams), so the arrays rarely grow: growing copies them and faults in
            // fresh pages twice. Untouched capacity costs no memory.
            let estimate = documents[ranges[c]].reduce(0) { $0 + $1.utf8.count } / 8 * ngramRange.count
            block.rowEnds.reserveCapacity(ranges[c].count)
            block.columns.reserveCapacity(estimate)
            block.values.reserveCapacity(estimate)
            var tokens = TokenBuffer()
            var columns: [Int32] = []
            var sorter = ColumnSorter()
            for document in documents[ranges[c]] {
                tokenizer.scan(document, into: &tokens)
                columns.removeAll(keepingCapacity: true)
                tokens.forEachTerm(ngramRange: ngramRange) { term in
                    let column = table.find(term, hash: termHash(term))
                    if column >= 0 { columns.append(column) }
                }
                sorter.sort(&columns)
                weighting.appendRow(sortedColumns: columns, to: &block)
            }
            return block
        }
        return blocks.matrix(columnCount: featureCount)
    }
}
